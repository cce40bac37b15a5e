import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct KVTests {
    let clock = ManualClock(milliseconds: 1_800_000_000_000)

    @Test(arguments: KVEngine.allCases)
    func putGetDeleteWithMetadata(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(clock: clock) { namespaces in
            let kv = namespaces[0]
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
    }

    @Test(arguments: KVEngine.allCases)
    func expiredKeysAreNeverReturnedAndAreSwept(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(clock: clock) { namespaces in
            let kv = namespaces[0]
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
    }

    @Test(arguments: KVEngine.allCases)
    func limitsAreClearErrors(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(clock: clock) { namespaces in
            let kv = namespaces[0]
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
    }

    @Test(arguments: KVEngine.allCases)
    func listPagesByPrefixWithCursor(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(clock: clock) { namespaces in
            let kv = namespaces[0]
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

    @Test(arguments: KVEngine.allCases)
    func keysListInByteOrderAcrossPages(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(clock: clock) { namespaces in
            let kv = namespaces[0]
            for key in ["z", "é", "a", "B", "~", "aa", "éa", "a b"] { try await kv.put(key, "v") }
            let byBytes = ["B", "a", "a b", "aa", "z", "~", "é", "éa"]
            #expect(try await kv.list().keys.map(\.name) == byBytes, "UTF-8 byte order, whatever the locale")
            let first = try await kv.list(limit: 6)
            #expect(first.keys.map(\.name) == Array(byBytes.prefix(6)))
            #expect(try await kv.list(limit: 6, cursor: first.cursor).keys.map(\.name) == ["é", "éa"])
            #expect(try await kv.list(prefix: "é").keys.map(\.name) == ["é", "éa"])
            #expect(try await kv.list(prefix: "a", cursor: ListCursor.encode(after: "a b")).keys.map(\.name) == ["aa"])
            #expect(try await kv.list(prefix: "b", cursor: ListCursor.encode(after: "a")).keys.isEmpty)
        }
    }

    @Test(arguments: KVEngine.allCases)
    func namespacesSharingAStoreAreApart(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(["a", "b"], clock: clock) { namespaces in
            let (a, b) = (namespaces[0], namespaces[1])
            try await a.put("k", "from a", options: KVPutOptions(expirationTtl: 60))
            try await b.put("k", "from b")
            #expect(try await a.getText("k") == "from a")
            #expect(try await b.getText("k") == "from b")
            try await b.delete("k")
            #expect(try await a.getText("k") == "from a")
            #expect(try await b.list().keys.isEmpty)
            clock.advance(byMilliseconds: 60_000)
            #expect(try await b.sweepExpired() == 0)
            #expect(try await a.sweepExpired() == 1)
        }
    }

    @Test(arguments: KVEngine.allCases)
    func theHostSweepsEveryNamespace(_ engine: KVEngine) async throws {
        try await engine.withNamespaces(["a", "b"], clock: clock) { namespaces in
            let (a, b) = (namespaces[0], namespaces[1])
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

    @Test(arguments: KVEngine.allCases)
    func hostsSharingANamespaceSeeEachOthersWrites(_ engine: KVEngine) async throws {
        try await engine.withTwoHosts(clock: clock) { a, b in
            try await a.put("k", "from a", options: KVPutOptions(expirationTtl: 120, metadata: .object(["n": .number(1)])))
            #expect(try await b.getWithMetadata("k") == KVEntry(value: Array("from a".utf8), metadata: .object(["n": .number(1)]),
                                                                 expiration: clock.seconds + 120))
            try await b.delete("k")
            #expect(try await a.get("k") == nil)
            // Both write at once: every key is listed once, in order, from either host.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (host, kv) in [("a", a), ("b", b)] {
                    for n in 0..<20 { group.addTask { try await kv.put("\(host)\(String(n).leftPadded(to: 2))", "v") } }
                }
                try await group.waitForAll()
            }
            let expected = ["a", "b"].flatMap { host in (0..<20).map { "\(host)\(String($0).leftPadded(to: 2))" } }
            #expect(try await a.list().keys.map(\.name) == expected)
            #expect(try await b.list(limit: 25).keys.map(\.name) == Array(expected.prefix(25)))
        }
    }

    /// Redis drops an entry whose TTL ran out by itself; its name must go from listings too.
    @Test func redisListingsDropNamesOfEntriesRedisExpired() async throws {
        try await withRedisHosts(1) { clients in
            let prefix = TestRedis.unique("kv") + ":"
            let kv = RedisKV(client: clients[0], namespace: "ns", clock: clock, keyPrefix: prefix)
            try await kv.put("brief", "x", options: KVPutOptions(expirationTtl: 60))
            try await kv.put("kept", "y")
            let entry = prefix + "{ns}:entry:brief"
            let ttl = try #require(try await clients[0].send(["PTTL", entry]).integer)
            #expect(ttl > 0 && ttl <= 60_000, "Redis drops it by itself when its TTL runs out")
            #expect(try await clients[0].send(["PTTL", prefix + "{ns}:entry:kept"]) == .integer(-1))
            // As Redis's expiry would: the entry goes, its names stay.
            #expect(try await clients[0].send(["DEL", entry]) == .integer(1))
            #expect(try await kv.get("brief") == nil)
            #expect(try await kv.list().keys.map(\.name) == ["kept"])
            #expect(try await clients[0].send(["ZCARD", prefix + "{ns}:names"]) == .integer(1))
            #expect(try await clients[0].send(["ZCARD", prefix + "{ns}:expiries"]) == .integer(0))
        }
    }
}
