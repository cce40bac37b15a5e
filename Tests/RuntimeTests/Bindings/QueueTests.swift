import Foundation
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

    func store(_ clock: ManualClock, path: String? = nil) throws -> QueueStore {
        try QueueStore(name: "jobs", path: path ?? (try scratchDirectory() + "/jobs.sqlite"), clock: clock)
    }

    @Test func delayedMessagesBecomeVisibleAtTheirDueTime() async throws {
        let clock = ManualClock(milliseconds: 1_000_000)
        let store = try store(clock)
        let firstDue = try await store.insert([OutgoingMessage(body: .string("later"), delaySeconds: 2), OutgoingMessage(body: .string("now"))])
        #expect(firstDue == 1_000_000)
        var pending = try await store.pending()
        #expect(pending.due == 1)
        #expect(try await store.lease(limit: 10).map(\.body) == [Array(#""now""#.utf8)])
        pending = try await store.pending()
        #expect(pending.due == 0)
        #expect(pending.next == 1_002_000, "the consumer sleeps until this instant")
        clock.advance(byMilliseconds: 2_000)
        let later = try await store.lease(limit: 10)
        #expect(later.count == 1)
        #expect(later[0].attempts == 1)
        #expect(later[0].visibleAt == 1_002_000)
    }

    @Test func settleAcksRetriesAndDeadLetters() async throws {
        let clock = ManualClock(milliseconds: 5_000)
        let directory = try scratchDirectory()
        let store = try store(clock, path: directory + "/jobs.sqlite")
        let dead = try QueueStore(name: "dead", path: directory + "/dead.sqlite", clock: clock)
        _ = try await store.insert((1...3).map { OutgoingMessage(body: .number(Double($0))) })
        let leased = try await store.lease(limit: 10)
        #expect(leased.count == 3)
        try await store.settle(ack: [leased[0].id], retry: [(leased[1].id, 6_000)], deadLetter: [leased[2].id], into: dead)
        #expect(try await store.count() == 1)
        #expect(try await store.lease(limit: 10).isEmpty, "the retry is not visible before its delay")
        clock.set(milliseconds: 6_000)
        let again = try await store.lease(limit: 10)
        #expect(again.map(\.attempts) == [2])
        #expect(try await dead.lease(limit: 10).map(\.body) == [Array("3".utf8)])
    }

    @Test func leasesOfADeadProcessAreDeliveredAgain() async throws {
        let clock = ManualClock(milliseconds: 0)
        let path = try scratchDirectory() + "/jobs.sqlite"
        do {
            let store = try store(clock, path: path)
            _ = try await store.insert([OutgoingMessage(body: .string("in flight"))])
            #expect(try await store.lease(limit: 1).count == 1)
            #expect(try await store.lease(limit: 1).isEmpty)
        }
        let restarted = try store(clock, path: path)
        let redelivered = try await restarted.lease(limit: 1)
        #expect(redelivered.count == 1)
        #expect(redelivered[0].attempts == 2)
    }

    @Test func producerLimits() async throws {
        let registry = try QueueRegistry(directory: try scratchDirectory())
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
    }
}
