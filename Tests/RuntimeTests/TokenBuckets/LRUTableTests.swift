import Testing
@testable import OzziRuntime

/// The bounded table behind in-process token buckets and sign-in lockouts.
@Suite struct LRUTableTests {
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
}
