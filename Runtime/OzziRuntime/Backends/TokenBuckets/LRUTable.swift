/// What an `LRUTable` keeps: a value that knows when forgetting it changes nothing (a token bucket
/// refilled to full, a lock long expired).
public protocol Forgettable {
    /// The time (ms) from which this value is as good as absent.
    var forgettableAt: Int64 { get }
}

/// A map of at most `capacity` entries, in O(1) per operation: a dictionary of slots threaded on one
/// doubly-linked list, newest first. Each write first lets go of the oldest entries that are
/// forgettable; a new key in a full table then evicts the least recently used one, never more.
///
/// Not thread-safe: its owner keeps it behind a lock.
public struct LRUTable<Value: Forgettable> {
    private struct Slot {
        var key: String
        var value: Value
        var older: Int
        var newer: Int
    }

    public let capacity: Int
    private var slots: [Slot] = []
    private var index: [String: Int] = [:]
    private var free: [Int] = []
    private var newest = -1
    private var oldest = -1

    public init(capacity: Int) {
        precondition(capacity > 0, "an LRU table holds at least one entry")
        self.capacity = capacity
    }

    public var count: Int { index.count }

    /// The value of `key`, without making it recent.
    public func peek(_ key: String) -> Value? {
        index[key].map { slots[$0].value }
    }

    /// Lets `body` change `key`'s value (nil when absent; setting nil removes it) and makes it the most
    /// recently used.
    public mutating func update<T>(_ key: String, now: Int64, _ body: (inout Value?) -> T) -> T {
        dropForgettable(now: now, limit: 2)
        var value = index[key].map { slots[$0].value }
        let result = body(&value)
        if let value {
            store(key, value)
        } else {
            remove(key)
        }
        return result
    }

    public mutating func remove(_ key: String) {
        guard let slot = index.removeValue(forKey: key) else { return }
        unlink(slot)
        free.append(slot)
    }

    /// The keys, most recently used first (for tests).
    public var keys: [String] {
        var keys: [String] = []
        var slot = newest
        while slot >= 0 {
            keys.append(slots[slot].key)
            slot = slots[slot].older
        }
        return keys
    }

    private mutating func store(_ key: String, _ value: Value) {
        if let slot = index[key] {
            slots[slot].value = value
            unlink(slot)
            link(slot)
            return
        }
        if index.count >= capacity { remove(slots[oldest].key) }
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            slots[slot] = Slot(key: key, value: value, older: -1, newer: -1)
        } else {
            slot = slots.count
            slots.append(Slot(key: key, value: value, older: -1, newer: -1))
        }
        index[key] = slot
        link(slot)
    }

    /// Drops up to `limit` of the oldest entries while they are forgettable: a bounded step per write,
    /// so a table a flood filled empties again as its buckets refill.
    private mutating func dropForgettable(now: Int64, limit: Int) {
        for _ in 0..<limit {
            guard oldest >= 0, slots[oldest].value.forgettableAt <= now else { return }
            remove(slots[oldest].key)
        }
    }

    private mutating func link(_ slot: Int) {
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let (older, newer) = (slots[slot].older, slots[slot].newer)
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
        if newer >= 0 { slots[newer].older = older } else { newest = older }
    }
}
