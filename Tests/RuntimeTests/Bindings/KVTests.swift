import Testing
@testable import OzziRuntime

@Suite struct KVTests {
    let clock = ManualClock(milliseconds: 1_800_000_000_000)

    func kv() throws -> SQLiteKV {
        try SQLiteKV(path: try scratchDirectory() + "/kv.sqlite", clock: clock)
    }

    @Test func putGetDeleteWithMetadata() async throws {
        let kv = try kv()
        try await kv.put("user:1", "alice", options: KVPutOptions(metadata: .object(["plan": .string("pro")])))
        #expect(try await kv.getText("user:1") == "alice")
        let entry = try await kv.getWithMetadata("user:1")
        #expect(entry?.metadata == .object(["plan": .string("pro")]))
        #expect(entry?.expiration == nil)
        try await kv.put("user:1", "alice2")
        #expect(try await kv.getText("user:1") == "alice2", "reads see the worker's own writes at once")
        #expect(try await kv.getWithMetadata("user:1")?.metadata == nil)
        try await kv.delete("user:1")
        #expect(try await kv.get("user:1") == nil)
        #expect(try await kv.get("never") == nil)
    }

    @Test func expiredKeysAreNeverReturnedAndAreSwept() async throws {
        let kv = try kv()
        try await kv.put("session", "x", options: KVPutOptions(expirationTtl: 60))
        try await kv.put("absolute", "y", options: KVPutOptions(expiration: clock.seconds + 120))
        try await kv.put("forever", "z")
        #expect(try await kv.getWithMetadata("session")?.expiration == clock.seconds + 60)
        clock.advance(byMilliseconds: 60_000)
        #expect(try await kv.get("session") == nil)
        #expect(try await kv.getText("absolute") == "y")
        #expect(try await kv.list().keys.map(\.name) == ["absolute", "forever"])
        #expect(try await kv.sweepExpired() == 1)
        clock.advance(byMilliseconds: 60_000)
        #expect(try await kv.sweepExpired() == 1)
        #expect(try await kv.list().keys.map(\.name) == ["forever"])
    }

    @Test func limitsAreClearErrors() async throws {
        let kv = try kv()
        await #expect(throws: KVError.emptyKey) { try await kv.put("", "x") }
        await #expect(throws: KVError.keyTooLong(bytes: 513)) { try await kv.put(String(repeating: "k", count: 513), "x") }
        try await kv.put(String(repeating: "k", count: 512), "ok")
        await #expect(throws: KVError.valueTooLarge(bytes: KVError.maxValueBytes + 1)) {
            try await kv.put("big", [UInt8](repeating: 1, count: KVError.maxValueBytes + 1), options: KVPutOptions())
        }
        await #expect(throws: KVError.metadataTooLarge(bytes: 1034)) {
            try await kv.put("m", "x", options: KVPutOptions(metadata: .object(["a": .string(String(repeating: "x", count: 1026))])))
        }
        await #expect(throws: KVError.expirationTooSoon(seconds: 30)) { try await kv.put("t", "x", options: KVPutOptions(expirationTtl: 30)) }
        await #expect(throws: KVError.limitOutOfRange(1001)) { try await kv.list(limit: 1001) }
        await #expect(throws: KVError.invalidCursor) { try await kv.list(cursor: "%%%") }
        #expect(KVError.valueTooLarge(bytes: 1).status == 413)
        #expect(KVError.emptyKey.message == "a KV key must not be empty")
    }

    @Test func listPagesByPrefixWithCursor() async throws {
        let kv = try kv()
        for i in 0..<25 { try await kv.put("item:\(String(i).leftPadded(to: 2))", "v") }
        try await kv.put("other", "v")
        try await kv.put("itemx", "v")
        var names: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await kv.list(prefix: "item:", limit: 10, cursor: cursor)
            names += page.keys.map(\.name)
            cursor = page.cursor
            pages += 1
            #expect(page.listComplete == (cursor == nil))
        } while cursor != nil
        #expect(pages == 3)
        #expect(names.count == 25)
        #expect(names == names.sorted())
        #expect(names.first == "item:00")
        // A prefix with LIKE metacharacters is matched literally.
        try await kv.put("50%_off", "v")
        #expect(try await kv.list(prefix: "50%").keys.map(\.name) == ["50%_off"])
    }
}

@Suite struct HousekeepingTests {
    @Test func theHostSweepsEveryNamespace() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let directory = try scratchDirectory()
        let a = try SQLiteKV(path: directory + "/a.sqlite", clock: clock)
        let b = try SQLiteKV(path: directory + "/b.sqlite", clock: clock)
        try await a.put("x", "1", options: KVPutOptions(expirationTtl: 60))
        try await b.put("y", "2", options: KVPutOptions(expirationTtl: 120))
        try await b.put("z", "3")
        let housekeeping = Housekeeping(namespaces: [a, b], logger: .init(label: "t"))
        #expect(await housekeeping.sweep() == 0)
        clock.advance(byMilliseconds: 120_000)
        #expect(await housekeeping.sweep() == 2)
        #expect(try await b.getText("z") == "3")
    }
}
