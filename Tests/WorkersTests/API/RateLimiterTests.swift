import OzziRuntime
import Testing
@testable import APIWorker

/// The limiter's pieces without sockets: the bounded LRU table, per-limit buckets, client networks.
@Suite struct RateLimiterTests {
    struct Entry: Forgettable, Equatable {
        var forgettableAt: Int64 = .max
    }

    @Test func theTableEvictsTheLeastRecentlyUsedOneAtATime() {
        var table = LRUTable<Entry>(capacity: 3)
        for key in ["a", "b", "c"] { table.update(key, now: 0) { $0 = Entry() } }
        table.update("a", now: 0) { _ in }  // a is used again
        table.update("d", now: 0) { $0 = Entry() }
        #expect(table.keys == ["d", "a", "c"], "b, the least recently used, alone made room")
        #expect(table.peek("a") != nil && table.keys.first == "d", "peeking does not make an entry recent")
        table.update("c", now: 0) { $0 = nil }
        #expect(table.keys == ["d", "a"])
        for n in 0..<1000 { table.update("k\(n)", now: 0) { $0 = Entry() } }
        #expect(table.count == 3)
        #expect(table.keys == ["k999", "k998", "k997"])
    }

    @Test func forgettableEntriesGoFirst() {
        var table = LRUTable<Entry>(capacity: 3)
        table.update("refilled", now: 0) { $0 = Entry(forgettableAt: 10) }
        table.update("locked", now: 0) { $0 = Entry(forgettableAt: 1000) }
        table.update("fresh", now: 0) { $0 = Entry() }
        table.update("locked", now: 0) { _ in }
        table.update("new", now: 20) { $0 = Entry() }
        #expect(table.keys == ["new", "locked", "fresh"], "the refilled bucket went, though not the least recently used")
        table.update("newer", now: 20) { $0 = Entry() }
        #expect(table.keys == ["newer", "new", "locked"], "else the least recently used goes")
    }

    @Test func eachLimitKeepsItsOwnBoundedBuckets() {
        let clock = ManualClock(milliseconds: 0)
        let limiter = RateLimiter(clock: clock, keysPerLimit: 100)
        for _ in 0..<20 { #expect(limiter.take(.signIn, "203.0.113.7") == nil) }
        #expect(limiter.take(.signIn, "203.0.113.7") == 3, "20 a minute: the next in 3 s")
        for n in 0..<1000 { _ = limiter.take(.refresh, "10.0.\(n / 256).\(n % 256)") }
        #expect(limiter.count(.refresh) == 100)
        #expect(limiter.take(.signIn, "203.0.113.7") == 3, "a flood on one limit evicts nothing of another's")
        clock.advance(byMilliseconds: 60_000)
        _ = limiter.take(.refresh, "10.9.9.9")
        _ = limiter.take(.refresh, "10.9.9.8")
        #expect(limiter.count(.refresh) == 98, "each write lets go of up to two refilled buckets")
    }

    @Test func reservationsSpaceActionsAtTheRate() {
        let limiter = RateLimiter(clock: ManualClock(milliseconds: 0))
        let limit = RateLimit("sms:test", capacity: 2, perSecond: 10)
        #expect((0..<4).map { _ in limiter.reserve(limit, "ws_1") } == [0, 0, 100, 200])
    }

    @Test func clientsAreKeyedByNetwork() {
        #expect(ClientNetwork.key("203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientNetwork.key("2001:db8:1:2:ffff::1") == ClientNetwork.key("2001:db8:1:2::9"))
        #expect(ClientNetwork.key("2001:db8:1:3::9") == "2001:db8:1:3::/64")
        #expect(ClientNetwork.key("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("in-process") == "in-process")
        #expect(Request(method: "GET", target: "/", remoteAddress: "[2001:db8::5]:443").clientNetwork == "2001:db8::/64")
    }
}
