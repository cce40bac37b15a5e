import OzziTestSupport
import Testing
@testable import OzziRuntime

/// The pub/sub binding's behaviour, the same on each engine.
@Suite struct PubSubTests {
    @Test(arguments: PubSubEngine.allCases)
    func subscribersOfATopicGetItsMessagesInOrder(engine: PubSubEngine) async throws {
        try await engine.withBrokers { pubsub, _ in
            let a = try await pubsub.subscribe("contacts")
            let b = try await pubsub.subscribe("contacts")
            let other = try await pubsub.subscribe("calls")
            #expect(try await pubsub.publish("contacts", .number(1)) == engine.deliveries(subscribers: 2))
            #expect(try await pubsub.publish("contacts", .number(2)) == engine.deliveries(subscribers: 2))
            var iteratorA = a.messages.makeAsyncIterator()
            var iteratorB = b.messages.makeAsyncIterator()
            #expect(await iteratorA.next() == .number(1))
            #expect(await iteratorA.next() == .number(2))
            #expect(await iteratorB.next() == .number(1))
            #expect(pubsub.subscriberCount("calls") == 1)
            other.cancel()
            #expect(pubsub.subscriberCount("calls") == 0)
            #expect(try await pubsub.publish("nobody", .null) == 0)
        }
    }

    @Test(arguments: PubSubEngine.allCases)
    func aSlowSubscriberDropsTheOldestAndCountsThem(engine: PubSubEngine) async throws {
        try await engine.withBrokers(bufferSize: 4) { pubsub, _ in
            let slow = try await pubsub.subscribe("t")
            for i in 1...10 { try await pubsub.publish("t", .number(Double(i))) }
            #expect(try await Poll.until { slow.dropped == 6 })
            var iterator = slow.messages.makeAsyncIterator()
            var received: [JSONValue] = []
            for _ in 0..<4 { received.append(await iterator.next()!) }
            #expect(received == [7, 8, 9, 10].map { JSONValue.number($0) })
        }
    }

    @Test(arguments: PubSubEngine.allCases)
    func cancellingAnIterationUnsubscribes(engine: PubSubEngine) async throws {
        try await engine.withBrokers { pubsub, _ in
            let subscription = try await pubsub.subscribe("t")
            let reader = Task {
                for await _ in subscription.messages {}
            }
            try await Task.sleep(for: .milliseconds(20))
            reader.cancel()
            _ = await reader.value
            #expect(pubsub.subscriberCount("t") == 0)
            // Nothing is listening any more, on any host.
            #expect(try await Poll.until { try await pubsub.publish("t", .null) == 0 })
        }
    }

    @Test(arguments: PubSubEngine.allCases)
    func aSubscriberElsewhereGetsEachTopicInOrder(engine: PubSubEngine) async throws {
        try await engine.withBrokers { publisher, subscriber in
            let contacts = try await subscriber.subscribe("contacts")
            let calls = try await subscriber.subscribe("calls")
            for i in 0..<100 {
                try await publisher.publish("contacts", .number(Double(i)))
                try await publisher.publish("calls", .string("call \(i)"))
            }
            var contactsSeen: [JSONValue] = [], callsSeen: [JSONValue] = []
            var contactsIterator = contacts.messages.makeAsyncIterator()
            var callsIterator = calls.messages.makeAsyncIterator()
            for _ in 0..<100 {
                contactsSeen.append(await contactsIterator.next()!)
                callsSeen.append(await callsIterator.next()!)
            }
            #expect(contactsSeen == (0..<100).map { .number(Double($0)) })
            #expect(callsSeen == (0..<100).map { .string("call \($0)") })
        }
    }

    @Test func finishingEndsEverySubscriptionOnThisHostOnly() async throws {
        try await PubSubEngine.redis.withBrokers { a, b in
            let here = try await a.subscribe("t")
            let there = try await b.subscribe("t")
            a.finishAll()
            var ended = here.messages.makeAsyncIterator()
            #expect(await ended.next() == nil)
            #expect(try await a.publish("t", .string("still here")) >= 1)
            var iterator = there.messages.makeAsyncIterator()
            #expect(await iterator.next() == .string("still here"))
        }
    }
}

/// Where the brokers of a test live: one process, or two hosts (two clients on two loops) sharing Redis.
enum PubSubEngine: CaseIterable, CustomTestStringConvertible {
    case inProcess
    case redis

    var testDescription: String { self == .inProcess ? "in-process" : "Redis" }

    /// What `publish` answers when `subscribers` subscribers of one host listen: in process, the
    /// subscribers; on Redis, the subscribed hosts.
    func deliveries(subscribers: Int) -> Int {
        self == .inProcess ? subscribers : 1
    }

    /// Runs `body` with two brokers that share their messages: the same one twice in process, two hosts'
    /// on Redis. The Redis channels are this run's own, so tests sharing the server do not meet.
    func withBrokers(bufferSize: Int = 256,
                     _ body: (any PubSubBroker, any PubSubBroker) async throws -> Void) async throws {
        guard self == .redis else {
            let pubsub = PubSub(bufferSize: bufferSize)
            return try await body(pubsub, pubsub)
        }
        let redis = try await TestRedis.shared()
        let group = try EventLoopGroup(count: 2)
        group.start()
        defer { group.shutdown() }
        let prefix = TestRedis.unique("pubsub") + ":"
        let a = try await RedisClient.connect(to: redis.url, on: group.loops[0], name: "host-a")
        let b = try await RedisClient.connect(to: redis.url, on: group.loops[1], name: "host-b")
        let result: Result<Void, Error>
        do {
            try await body(RedisPubSub(client: a, bufferSize: bufferSize, channelPrefix: prefix),
                           RedisPubSub(client: b, bufferSize: bufferSize, channelPrefix: prefix))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await a.close()
        await b.close()
        try result.get()
    }
}
