@testable import APIWorker
import Testing

/// The slots that decide which claimed sends may call their provider: bounded per account and per host,
/// accounts served in turn, a freed slot going to the next waiting send.
@Suite struct SendSlotsTests {
    @Test func anAccountNeverHoldsMoreThanItsShare() {
        var slots = SendSlots<Int>(total: 10, perAccount: 3)
        for i in 0..<8 { slots.enqueue(i, account: "slow") }
        #expect(slots.start().map(\.item) == [0, 1, 2])
        #expect(slots.backlog("slow") == 5)
        #expect(slots.start().isEmpty, "its share is in flight: nothing more starts")
        slots.finish(account: "slow")
        #expect(slots.start().map(\.item) == [3], "a freed slot goes to the next in line")
        #expect(slots.inFlight == 3)
    }

    @Test func accountsAreServedInTurnWithinTheHostsLimit() {
        var slots = SendSlots<String>(total: 4, perAccount: 10)
        for i in 0..<5 { slots.enqueue("a\(i)", account: "a") }
        for i in 0..<2 { slots.enqueue("b\(i)", account: "b") }
        slots.enqueue("c0", account: "c")
        #expect(slots.start().map(\.item) == ["a0", "b0", "c0", "a1"])
        #expect(slots.start().isEmpty, "the host's limit")
        slots.finish(account: "c")
        slots.finish(account: "a")
        #expect(slots.start().map(\.item) == ["b1", "a2"], "after a's turn comes b's: a large queue does not take every freed slot")
        #expect(slots.waitingCount == 2)
    }

    @Test func aStalledAccountDoesNotStopTheRotation() {
        var slots = SendSlots<String>(total: 100, perAccount: 1)
        slots.enqueue("stalled", account: "s")
        slots.enqueue("behind", account: "s")
        #expect(slots.start().map(\.item) == ["stalled"])
        for i in 0..<3 { slots.enqueue("o\(i)", account: "o\(i)") }
        #expect(slots.start().map(\.item) == ["o0", "o1", "o2"])
        for i in 0..<3 { slots.finish(account: "o\(i)") }
        #expect(slots.start().isEmpty, "s still waits for its one call")
        slots.finish(account: "s")
        #expect(slots.start().map(\.item) == ["behind"])
    }

    @Test func aLongQueueKeepsItsOrder() {
        var slots = SendSlots<Int>(total: 1, perAccount: 1)
        for i in 0..<5000 { slots.enqueue(i, account: "a") }
        var order: [Int] = []
        while slots.backlog("a") > 0 || slots.inFlight > 0 {
            order += slots.start().map(\.item)
            slots.finish(account: "a")
        }
        #expect(order == Array(0..<5000))
    }
}
