import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct QueueTests {
    @Test func backoffGrowsExponentiallyWithJitterAndACap() {
        let policy = RetryPolicy(baseSeconds: 2, maxSeconds: 60)
        #expect(policy.delaySeconds(afterAttempt: 1, unit: 0) == 1)
        #expect(policy.delaySeconds(afterAttempt: 1, unit: 0.999) < 2)
        #expect(policy.delaySeconds(afterAttempt: 3, unit: 0) == 4)
        #expect(policy.delaySeconds(afterAttempt: 3, unit: 0.5) == 6)
        #expect(policy.delaySeconds(afterAttempt: 30, unit: 1) == 60)
        #expect(RetryPolicy(baseSeconds: 0).delaySeconds(afterAttempt: 5, unit: 0.5) == 0)
    }

    @Test(arguments: QueueEngine.allCases) func delayedMessagesBecomeVisibleAtTheirDueTime(engine: QueueEngine) async throws {
        let clock = ManualClock(milliseconds: 1_000_000)
        let store = try await engine.registry(clock: clock).store("jobs")
        let firstDue = try await store.insert([OutgoingMessage(body: .string("later"), delaySeconds: 2), OutgoingMessage(body: .string("now"))])
        #expect(firstDue == 1_000_000)
        var pending = try await store.pending()
        #expect(pending.due == 1)
        #expect(try await store.unfinished() == 1)
        let now = try await store.lease(limit: 10)
        #expect(now.map(\.body) == [Array(#""now""#.utf8)])
        pending = try await store.pending()
        #expect(pending.due == 0)
        #expect(pending.next == 1_002_000, "the consumer sleeps until this instant")
        #expect(try await store.unfinished() == 1, "held by its consumer, not done")
        try await store.settle(ack: now.map(\.id), retry: [], deadLetter: [], into: nil)
        #expect(try await store.unfinished() == 0, "the delayed one is not due")
        clock.advance(byMilliseconds: 2_000)
        #expect(try await store.unfinished() == 1)
        let later = try await store.lease(limit: 10)
        #expect(later.count == 1)
        #expect(later[0].attempts == 1)
        #expect(later[0].visibleAt == 1_002_000)
    }

    @Test(arguments: QueueEngine.allCases) func settleAcksRetriesAndDeadLetters(engine: QueueEngine) async throws {
        let clock = ManualClock(milliseconds: 5_000)
        let registry = try await engine.registry(clock: clock)
        let store = try registry.store("jobs"), dead = try registry.store("dead")
        _ = try await store.insert((1...3).map { OutgoingMessage(body: .number(Double($0))) })
        let leased = try await store.lease(limit: 10)
        #expect(leased.count == 3)
        try await store.settle(ack: [leased[0].id], retry: [(leased[1].id, 6_000)], deadLetter: [leased[2].id], into: dead)
        #expect(try await store.count() == 1)
        #expect(try await store.lease(limit: 10).isEmpty, "the retry is not visible before its delay")
        clock.set(milliseconds: 6_000)
        let again = try await store.lease(limit: 10)
        #expect(again.map(\.attempts) == [2])
        let deadLetters = try await dead.lease(limit: 10)
        #expect(deadLetters.map(\.body) == [Array("3".utf8)])
        #expect(deadLetters.map(\.attempts) == [1], "a dead letter starts afresh in its queue")
    }

    @Test func leasesOfADeadProcessAreDeliveredAgain() async throws {
        let clock = ManualClock(milliseconds: 0)
        let path = try scratchDirectory() + "/jobs.sqlite"
        do {
            let store = try SQLiteQueueStore(name: "jobs", path: path, clock: clock)
            _ = try await store.insert([OutgoingMessage(body: .string("in flight"))])
            #expect(try await store.lease(limit: 1).count == 1)
            #expect(try await store.lease(limit: 1).isEmpty)
        }
        let restarted = try SQLiteQueueStore(name: "jobs", path: path, clock: clock)
        let redelivered = try await restarted.lease(limit: 1)
        #expect(redelivered.count == 1)
        #expect(redelivered[0].attempts == 2)
    }

    /// On a shared database a host starting does not take the leases of the others, which are alive: a
    /// lease ends when it runs out, and then belongs to whoever takes the message next.
    @Test func sharedLeasesExpireAndAreNotResetByAnotherHost() async throws {
        let clock = ManualClock(milliseconds: 0)
        let url = try await TestPostgres.shared.database()
        let hostA = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 30)
        let a = try hostA.store("jobs")
        _ = try await a.insert([OutgoingMessage(body: .string("in flight"))])
        let held = try await a.lease(limit: 1)
        #expect(held.count == 1)
        let b = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 30).store("jobs")
        #expect(try await b.lease(limit: 1).isEmpty, "host A's lease holds while it lasts")
        #expect(try await b.pending().next == 30_000, "a consumer wakes when the lease runs out")
        clock.set(milliseconds: 30_000)
        let taken = try await b.lease(limit: 1)
        #expect(taken.map(\.attempts) == [2])
        try await a.settle(ack: held.map(\.id), retry: [], deadLetter: [], into: nil)
        #expect(try await b.count() == 1, "A's lease ran out: the message is B's to settle")
        try await b.settle(ack: taken.map(\.id), retry: [], deadLetter: [], into: nil)
        #expect(try await b.count() == 0)
    }

    @Test func aRenewedLeaseLastsAWholeLeaseFromTheRenewal() async throws {
        let clock = ManualClock(milliseconds: 0)
        let url = try await TestPostgres.shared.database()
        let a = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 30).store("jobs") as! PostgresQueueStore
        let b = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 30).store("jobs")
        _ = try await a.insert([OutgoingMessage(body: .string("long job"))])
        let held = try await a.lease(limit: 1)
        clock.set(milliseconds: 20_000)
        try await a.renew(held.map(\.id))
        clock.set(milliseconds: 49_999)
        #expect(try await b.lease(limit: 1).isEmpty, "renewed at 20 s, the lease lasts until 50 s")
        clock.set(milliseconds: 50_000)
        #expect(try await b.lease(limit: 1).count == 1)
    }

    @Test(arguments: QueueEngine.allCases) func failedBatchesAreRetriedThenDeadLettered(engine: QueueEngine) async throws {
        let clock = ManualClock(milliseconds: 1_000_000)
        let registry = try await engine.registry(clock: clock)
        let consumers = try RunningConsumers([registry], queue: "jobs", clock: clock, recorder: QueueRecorder(fails: true)) {
            $0.maxRetries = 2
            $0.retryDelay = 10
            $0.deadLetterQueue = "jobs-dead"
        }
        defer { Task { await consumers.stop() } }
        try await registry.producer("jobs").sendBatch((1...3).map { OutgoingMessage(body: .number(Double($0))) })
        // Backoff: 5-10 s after the first failure, 10-20 s after the second; the clock stands still between,
        // and moves only once the failed batch is back in the queue (a retry time is reckoned when the hook
        // has failed: moved before that, the clock would push the retry out by as much).
        let jobs = try registry.store("jobs")
        let waitingWithin = { (backoff: Int64) in
            try await jobs.pending().next.map { $0 <= clock.milliseconds + backoff } == true
        }
        #expect(try await Poll.until { consumers.recorder.deliveries.count == 3 })
        #expect(try await Poll.until { try await waitingWithin(10_000) })
        clock.advance(byMilliseconds: 10_000)
        #expect(try await Poll.until { consumers.recorder.deliveries.count == 6 })
        #expect(try await Poll.until { try await waitingWithin(20_000) })
        clock.advance(byMilliseconds: 20_000)
        #expect(try await Poll.until { try await registry.depth("jobs-dead") == 3 })
        #expect(try await registry.depth("jobs") == 0)
        #expect(consumers.recorder.deliveries.map(\.attempts).sorted() == [1, 1, 1, 2, 2, 2, 3, 3, 3])
    }

    @Test(arguments: QueueEngine.allCases) func producerLimits(engine: QueueEngine) async throws {
        let registry = try await engine.registry(clock: SystemClock())
        let producer = try registry.producer("jobs")
        await #expect(throws: QueueError.tooManyMessages(101)) {
            try await producer.sendBatch(Array(repeating: OutgoingMessage(body: .null), count: 101))
        }
        await #expect(throws: QueueError.invalidDelay(-1)) { try await producer.send(.null, delaySeconds: -1) }
        await #expect(throws: QueueError.messageTooLarge(131_074)) {
            try await producer.send(.string(String(repeating: "x", count: 131_072)))
        }
        try await producer.send(encoding: ["hello": "world"])
        #expect(try await registry.depth("jobs") == 1)
        // More than a batch holds goes a batch at a time.
        try await producer.sendAll((0..<250).map { OutgoingMessage(body: .number(Double($0))) })
        #expect(try await registry.depth("jobs") == 251)
    }
}
