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

    /// Polls until `done` holds (a generous limit: only a broken consumer takes that long).
    func eventually(_ done: () async throws -> Bool) async throws -> Bool {
        try await Poll.until(done)
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
        // The host's clock is the test's: time moves only in steps the test takes, so "on time" is exact.
        let start: Int64 = 1_900_000_000_000
        let clock = ManualClock(milliseconds: start)
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: "max_batch_size = 100, max_batch_timeout = 0"), clock: clock)
        defer { Task { await live.stop() } }
        // 30 messages due 200, 221, 242, ... 809 ms ahead; the clock moves in 50 ms steps.
        let due = (0..<30).map { 200 + 21 * $0 }
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?count=30&delay_ms=200&stagger_ms=21"])
        let step: Int64 = 50
        var now: Int64 = 0
        while now < 850 {
            let expected = due.filter { $0 <= now }.count
            #expect(try await eventually { try await summary(live).distinct_n >= expected }, "at +\(now) ms")
            #expect(try await summary(live).distinct_n == expected, "at +\(now) ms only the messages due by then came")
            now += step
            clock.set(milliseconds: start + now)
        }
        #expect(try await eventually { try await summary(live).distinct_n == 30 })
        let lateness = try JSONDecoder().decode([Int].self, from: Data(try await curl([live.base + "/q/lateness"]).utf8))
        #expect(lateness.count == 30)
        #expect(lateness.allSatisfy { $0 >= 0 }, "no message came early: \(lateness)")
        // Each came at the first step at or after its due time: within one step of it on the host's clock.
        #expect(lateness.allSatisfy { $0 < step }, "each came at the first step after its due time: \(lateness)")
    }

    @Test func partialBatchesWaitForTheBatchTimeout() async throws {
        let start: Int64 = 1_900_000_000_000
        let clock = ManualClock(milliseconds: start)
        let live = try await LiveHost.start(extra: Self.queueWorker(consumer: "max_batch_size = 5, max_batch_timeout = 1"), clock: clock)
        defer { Task { await live.stop() } }
        // A full batch goes at once, with the clock standing still.
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?count=5"])
        #expect(try await eventually { try await summary(live).distinct_n == 5 })
        _ = try await curl(["-X", "POST", live.base + "/q/enqueue?from=6&count=2"])
        // The clock stands still, so the batch timeout cannot pass: only a consumer that does not wait for
        // it would deliver these two.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await summary(live).distinct_n == 5, "two messages wait for the batch to fill")
        clock.set(milliseconds: start + 900)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await summary(live).distinct_n == 5, "... still, 0.9 s into a 1 s batch timeout")
        // Past the timeout (wherever in the first 0.9 s the consumer started counting it), they go.
        clock.set(milliseconds: start + 2_000)
        #expect(try await eventually { try await summary(live).distinct_n == 7 }, "... until the batch timeout")
    }
}
