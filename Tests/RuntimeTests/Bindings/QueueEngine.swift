import Foundation
import Logging
import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

/// The engines the queue tests run on: SQLite files in a folder of the test's own, or a database of its
/// own on the test PostgreSQL.
enum QueueEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    func registry(clock: any WallClock, _ name: String = #function) async throws -> QueueRegistry {
        switch self {
        case .sqlite: try QueueRegistry(directory: try scratchDirectory(name), clock: clock)
        case .postgres: try QueueRegistry(postgres: try await TestPostgres.shared.database(), clock: clock)
        }
    }
}

/// A worker that records what its `queue` hook receives and acknowledges it.
final class QueueRecorder: Worker {
    struct Delivery: Sendable {
        let body: JSONValue
        let attempts: Int
    }

    private let recorded = Mutex<[Delivery]>([])

    init() {}

    init(env: WorkerEnv) throws {}

    var deliveries: [Delivery] { recorded.withLock { $0 } }

    func fetch(_ request: Request, context: RequestContext) async throws -> Response {
        Response(status: 404)
    }

    func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        recorded.withLock { $0 += batch.messages.map { Delivery(body: $0.body, attempts: $0.attempts) } }
    }
}

/// Consumers of one queue, each a registry's (a host's), running on a loop of their own until `stop()`.
final class RunningConsumers: Sendable {
    let recorder = QueueRecorder()
    private let group: EventLoopGroup
    private let tasks: [Task<Void, Never>]

    init(_ registries: [QueueRegistry], queue: String, clock: any WallClock, maxBatchSize: Int = 10) throws {
        group = try EventLoopGroup(count: 1)
        group.start()
        var settings = QueueConsumerSettings(queue: queue)
        settings.maxBatchSize = maxBatchSize
        settings.maxBatchTimeout = 0
        tasks = try registries.map { [recorder, group] registry in
            let consumer = QueueConsumer(settings: settings, store: try registry.store(queue), deadLetter: nil, worker: recorder,
                                         workerName: "recorder", loop: group.loops[0], clock: clock, logger: Logger(label: "test"))
            registry.register(consumer)
            return Task { await consumer.run() }
        }
    }

    func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        group.shutdown()
    }
}
