import Testing
@testable import OzziRuntime

@Suite struct PubSubTests {
    @Test func subscribersOfATopicGetItsMessagesInOrder() async throws {
        let pubsub = PubSub()
        let a = pubsub.subscribe("contacts")
        let b = pubsub.subscribe("contacts")
        let other = pubsub.subscribe("calls")
        #expect(pubsub.publish("contacts", .number(1)) == 2)
        #expect(pubsub.publish("contacts", .number(2)) == 2)
        var iteratorA = a.messages.makeAsyncIterator()
        var iteratorB = b.messages.makeAsyncIterator()
        #expect(await iteratorA.next() == .number(1))
        #expect(await iteratorA.next() == .number(2))
        #expect(await iteratorB.next() == .number(1))
        #expect(pubsub.subscriberCount("calls") == 1)
        other.cancel()
        #expect(pubsub.subscriberCount("calls") == 0)
        #expect(pubsub.publish("nobody", .null) == 0)
    }

    @Test func aSlowSubscriberDropsTheOldestAndCountsThem() async throws {
        let pubsub = PubSub(bufferSize: 4)
        let slow = pubsub.subscribe("t")
        for i in 1...10 { pubsub.publish("t", .number(Double(i))) }
        #expect(slow.dropped == 6)
        var iterator = slow.messages.makeAsyncIterator()
        var received: [JSONValue] = []
        for _ in 0..<4 { received.append(await iterator.next()!) }
        #expect(received == [7, 8, 9, 10].map { JSONValue.number($0) })
    }

    @Test func cancellingAnIterationUnsubscribes() async throws {
        let pubsub = PubSub()
        let subscription = pubsub.subscribe("t")
        let reader = Task {
            for await _ in subscription.messages {}
        }
        try await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        _ = await reader.value
        #expect(pubsub.subscriberCount("t") == 0)
    }
}
