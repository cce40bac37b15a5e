import Glibc
import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

/// The client against the test process's redis-server, with two clients on two loops standing for two hosts.
@Suite struct RedisClientLiveTests {
    @Test func commandsAnswerTypedReplies() async throws {
        try await withTwoClients { a, _ in
            let key = TestRedis.unique("key")
            #expect(try await a.send(["SET", key, "v"]) == .status("OK"))
            #expect(try await a.send(["GET", key]).string == "v")
            #expect(try await a.send(["INCR", key + ":n"]) == .integer(1))
            #expect(try await a.send(["GET", key + ":missing"]) == .null)
            let script = "return {tonumber(ARGV[1]) + 1, KEYS[1]}"
            #expect(try await a.send(["EVAL", script, "1", key, "41"]) == .array([.integer(42), .bulk(Array(key.utf8))]))
            let sha = try #require(try await a.send(["SCRIPT", "LOAD", script]).string)
            #expect(try await a.send(["EVALSHA", sha, "1", key, "1"]).array?.first == .integer(2))
            let missing = await #expect(throws: RedisError.self) { try await a.send(["EVALSHA", String(repeating: "0", count: 40), "0"]) }
            guard case .server(let message) = missing else { Issue.record("not a server error: \(String(describing: missing))"); return }
            #expect(message.hasPrefix("NOSCRIPT"))
        }
    }

    @Test func aSubscriberOnOneLoopGetsWhatAnotherPublishesInOrder() async throws {
        try await withTwoClients { publisher, subscriber in
            let channel = TestRedis.unique("news")
            let inbox = Inbox()
            try await subscriber.subscribe(channel, inbox.add)
            for index in 0..<50 {
                #expect(try await publisher.publish(channel, Array("m\(index)".utf8)) == 1)
            }
            #expect(try await inbox.waitFor(50))
            #expect(inbox.messages.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<50).map { "m\($0)" })
            #expect(inbox.messages.allSatisfy { $0.channel == channel && $0.pattern == nil })

            await subscriber.unsubscribe(channel)
            #expect(try await Poll.until { try await publisher.publish(channel, [1]) == 0 })
        }
    }

    @Test func aPatternSubscriptionGetsEveryMatchingChannel() async throws {
        try await withTwoClients { publisher, subscriber in
            let prefix = TestRedis.unique("calls")
            let inbox = Inbox()
            try await subscriber.psubscribe("\(prefix):*", inbox.add)
            #expect(try await publisher.publish("\(prefix):1", Array("ringing".utf8)) == 1)
            #expect(try await publisher.publish("\(prefix)-other", Array("unrelated".utf8)) == 0)
            #expect(try await publisher.publish("\(prefix):2", Array("ended".utf8)) == 1)
            #expect(try await inbox.waitFor(2))
            #expect(inbox.messages == [
                RedisMessage(channel: "\(prefix):1", pattern: "\(prefix):*", payload: Array("ringing".utf8)),
                RedisMessage(channel: "\(prefix):2", pattern: "\(prefix):*", payload: Array("ended".utf8)),
            ])
        }
    }

    @Test func subscriptionsComeBackAfterTheServerDropsTheConnection() async throws {
        let name = TestRedis.unique("dropped")
        try await withTwoClients(names: ("publisher", name)) { publisher, subscriber in
            let channel = TestRedis.unique("news"), prefix = TestRedis.unique("pattern")
            let inbox = Inbox()
            try await subscriber.subscribe(channel, inbox.add)
            try await subscriber.psubscribe("\(prefix):*", inbox.add)

            try await kill(connectionNamed: "\(name)-subscriptions", using: publisher)
            try await kill(connectionNamed: "\(name)-commands", using: publisher)

            // Messages sent while no one listens are gone (Redis pub/sub keeps nothing): wait for the
            // subscriptions to be back, then both kinds deliver again.
            #expect(try await Poll.until { try await publisher.publish(channel, Array("after".utf8)) == 1 })
            #expect(try await Poll.until { try await publisher.publish("\(prefix):x", Array("again".utf8)) == 1 })
            #expect(try await inbox.waitFor(2))
            #expect(inbox.messages.contains { $0.channel == channel && $0.payload == Array("after".utf8) })
            #expect(inbox.messages.contains { $0.pattern == "\(prefix):*" && $0.payload == Array("again".utf8) })
            // The command connection came back too.
            #expect(try await Poll.until { (try? await subscriber.send(["PING"])) == .status("PONG") })
        }
    }

    @Test func clientsComeBackAfterTheServerRestarts() async throws {
        let redis = try await TestRedis.start()
        do {
            try await withTwoClients(on: redis) { publisher, subscriber in
                let channel = TestRedis.unique("news")
                let inbox = Inbox()
                try await subscriber.subscribe(channel, inbox.add)
                await redis.stop()
                await #expect(throws: RedisError.unavailable(redis.url)) { try await publisher.send(["PING"]) }
                await #expect(throws: RedisError.unavailable(redis.url)) { try await subscriber.subscribe("other") { _ in } }
                try await redis.restart()
                #expect(try await Poll.until { (try? await publisher.publish(channel, Array("back".utf8))) == 1 })
                #expect(try await inbox.waitFor(1))
                #expect(inbox.messages.last?.payload == Array("back".utf8))
            }
        } catch {
            await redis.remove()
            throw error
        }
        await redis.remove()
    }

    @Test func anUnreachableServerIsAnErrorNamingTheMaskedURL() async throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let port = try freeLoopbackPort()
        let url = try RedisURL(parsing: "redis://:hunter2@127.0.0.1:\(port)")
        let error = await #expect(throws: RedisError.self) { try await RedisClient.connect(to: url, on: group.loops[0]) }
        guard case .unreachable(let reported, _) = error else { Issue.record("not unreachable: \(String(describing: error))"); return }
        #expect(reported == url)
        let text = String(describing: error!)
        #expect(text.hasPrefix("cannot reach Redis at redis://:***@127.0.0.1:\(port): "))
        #expect(!text.contains("hunter2"))
    }

    @Test func aServerThatNeverAnswersIsUnreachable() async throws {
        // A socket that listens and never accepts: the kernel completes the TCP handshake, nothing replies.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                try #require(bind(silent, pointer, length) == 0 && listen(silent, 8) == 0 && getsockname(silent, pointer, &length) == 0)
            }
        }
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let url = RedisURL(host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)))
        let error = await #expect(throws: RedisError.self) {
            try await RedisClient.connect(to: url, on: group.loops[0], connectTimeout: .milliseconds(200))
        }
        #expect(error == .unreachable(url, reason: "no answer within 200 ms"))
    }

    @Test func aRefusedHandshakeIsAnErrorSayingWhy() async throws {
        let redis = try await TestRedis.shared()
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        var url = redis.url
        url.password = "hunter2"
        let error = await #expect(throws: RedisError.self) { try await RedisClient.connect(to: url, on: group.loops[0]) }
        #expect(String(describing: error!).contains("AUTH: "))
        #expect(!String(describing: error!).contains("hunter2"))
    }

    @Test func aClosedClientAnswersClosed() async throws {
        let redis = try await TestRedis.shared()
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let client = try await RedisClient.connect(to: redis.url, on: group.loops[0])
        await client.close()
        await #expect(throws: RedisError.closed) { try await client.send(["PING"]) }
        await #expect(throws: RedisError.closed) { try await client.subscribe("any") { _ in } }
    }

    // MARK: - Helpers

    private func withTwoClients(on server: TestRedis? = nil, names: (String, String) = ("a", "b"),
                                _ body: (RedisClient, RedisClient) async throws -> Void) async throws {
        let redis = if let server { server } else { try await TestRedis.shared() }
        let group = try EventLoopGroup(count: 2)
        group.start()
        defer { group.shutdown() }
        let a = try await RedisClient.connect(to: redis.url, on: group.loops[0], name: names.0)
        let b = try await RedisClient.connect(to: redis.url, on: group.loops[1], name: names.1)
        do {
            try await body(a, b)
        } catch {
            await a.close()
            await b.close()
            throw error
        }
        await a.close()
        await b.close()
    }

    /// Has the server drop the connection named `name` (as it does on `CLIENT KILL`, a restart or a timeout).
    private func kill(connectionNamed name: String, using client: RedisClient) async throws {
        let list = try #require(try await client.send(["CLIENT", "LIST"]).string)
        let line = try #require(list.split(separator: "\n").first { $0.contains(" name=\(name) ") })
        let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
        #expect(try await client.send(["CLIENT", "KILL", "ID", String(id)]) == .integer(1))
    }
}

/// Messages a handler received, in order.
final class Inbox: Sendable {
    private let received = Mutex<[RedisMessage]>([])

    var messages: [RedisMessage] { received.withLock { $0 } }

    func add(_ message: RedisMessage) { received.withLock { $0.append(message) } }

    func waitFor(_ count: Int) async throws -> Bool {
        try await Poll.until { messages.count >= count }
    }
}
