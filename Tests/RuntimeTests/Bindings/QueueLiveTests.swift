import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Queues end to end: a worker's producer binding, the host's consumer, the worker's `queue` hook.
@Suite struct QueueLiveTests {
    static func queueWorker(consumer: String) -> String {
        """
        [[workers]]
        name = "qp"
        module = "queue-probe"
        routes = [{ pattern = "/q/*", strip_prefix = true }]
        d1_databases = [{ binding = "DB", migrations_dir = "\(LiveHost.migrations)/queue-probe" }]
        [workers.queues]
        producers = [{ binding = "JOBS", queue = "jobs" }]
        consumers = [{ queue = "jobs", \(consumer) }]
        """
    }

    func curl(_ arguments: [String]) async throws -> String {
        try await Subprocess.curl(arguments).stdout
    }

    struct Summary: Decodable {
        let delivered: Int
        let distinct_n: Int
        let max_attempts: Int?
    }

    func summary(_ live: LiveHost) async throws -> Summary {
        try JSONDecoder().decode(Summary.self, from: Data(try await curl([live.base + "/q/deliveries"]).utf8))
    }

    /// Polls until `done` holds or ten seconds pass.
    func eventually(_ done: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<1000 {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func everyMessageIsDeliveredAndAcknowledged() async throws {
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: "max_batch_size = 100, max_batch_timeout = 0"))
        defer { Task { await live.stop() } }
        #expect(try await curl(["-X", "POST", live.base + "/q/enqueue?count=1000"]) == #"{"sent":1000}"#)
        #expect(try await eventually { try await summary(live).distinct_n == 1000 })
        #expect(try await eventually { try await live.host.queues.depth("jobs") == 0 }, "acknowledged messages are deleted")
        let result = try await summary(live)
        #expect(result.delivered == 1000, "nothing delivered twice")
        #expect(result.max_attempts == 1)
    }

    @Test func failedMessagesRetryWithBackoffThenDeadLetter() async throws {
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: """
            max_batch_size = 10, max_batch_timeout = 0, max_retries = 2, dead_letter_queue = "jobs-dead", retry_delay = 0.05
            """))
        defer { Task { await live.stop() } }
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?count=5&fail=1"])
        #expect(try await eventually { try await live.host.queues.depth("jobs-dead") == 5 })
        let result = try await summary(live)
        #expect(result.delivered == 15, "one delivery and two retries each")
        #expect(result.max_attempts == 3)
        #expect(try await live.host.queues.depth("jobs") == 0)
    }

    @Test func delayedMessagesFireOnTimeNotEarly() async throws {
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: "max_batch_size = 100, max_batch_timeout = 0"))
        defer { Task { await live.stop() } }
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?count=30&delay_ms=200&spread_ms=600"])
        #expect(try await eventually { try await summary(live).distinct_n == 30 })
        let lateness = try JSONDecoder().decode([Int].self, from: Data(try await curl([live.base + "/q/lateness"]).utf8))
        #expect(lateness.allSatisfy { $0 >= 0 }, "no message came early: \(lateness)")
        // Precision is bench/queue.sh's job (p99 ~6 ms); under the parallel test suite, allow for a busy machine.
        #expect(lateness.allSatisfy { $0 < 1000 }, "each came within a second of its due time: \(lateness)")
    }

    @Test func partialBatchesWaitForTheBatchTimeout() async throws {
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: "max_batch_size = 5, max_batch_timeout = 1"))
        defer { Task { await live.stop() } }
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?count=5"])
        #expect(try await eventually { try await summary(live).distinct_n == 5 })
        let fullBatch = ContinuousClock.now
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?from=6&count=2"])
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await summary(live).distinct_n == 5, "two messages wait for the batch to fill")
        #expect(try await eventually { try await summary(live).distinct_n == 7 })
        #expect(ContinuousClock.now - fullBatch >= .milliseconds(900), "... until the batch timeout")
    }
}
