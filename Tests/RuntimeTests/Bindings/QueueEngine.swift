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

/// A worker that records what its `queue` hook receives, then acknowledges it (or fails the batch).
final class QueueRecorder: Worker {
    struct Failure: Error {}

    struct Delivery: Sendable {
        let body: JSONValue
        let attempts: Int
    }

    private let recorded = Mutex<[Delivery]>([])
    private let fails: Bool

    init(fails: Bool = false) {
        self.fails = fails
    }

    init(env: WorkerEnv) throws {
        fails = false
    }

    var deliveries: [Delivery] { recorded.withLock { $0 } }

    func fetch(_ request: Request, context: RequestContext) async throws -> Response {
        Response(status: 404)
    }

    func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        recorded.withLock { $0 += batch.messages.map { Delivery(body: $0.body, attempts: $0.attempts) } }
        if fails { throw Failure() }
    }
}

/// Consumers of one queue, each a registry's (a host's), running on a loop of their own until `stop()`.
final class RunningConsumers: Sendable {
    let recorder: QueueRecorder
    private let group: EventLoopGroup
    private let tasks: [Task<Void, Never>]

    /// `settings` with no batch timeout, unless `adjust` sets one.
    init(_ registries: [QueueRegistry], queue: String, clock: any WallClock, recorder: QueueRecorder = QueueRecorder(),
         adjust: (inout QueueConsumerSettings) -> Void = { _ in }) throws {
        self.recorder = recorder
        group = try EventLoopGroup(count: 1)
        group.start()
        var settings = QueueConsumerSettings(queue: queue)
        settings.maxBatchTimeout = 0
        adjust(&settings)
        tasks = try registries.map { [group] registry in
            let deadLetter = try settings.deadLetterQueue.map { try registry.store($0) }
            let consumer = QueueConsumer(settings: settings, store: try registry.store(queue), deadLetter: deadLetter, worker: recorder,
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
