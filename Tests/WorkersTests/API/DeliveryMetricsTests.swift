import OzziRuntime
import OzziTestSupport
import Testing

/// The delivery engine's outcomes and the api's routes as `/__ozzi/metrics` shows them.
@Suite struct DeliveryMetricsTests {
    let messaging = MessagingTests()

    @Test func aSentMessageIsCountedByResultAndItsRequestsByRoute() async throws {
        let api = try await APIHost.start(vars: MessagingTests.fastVars)
        defer { Task { await api.stop() } }
        let token = try await messaging.owner(api)
        let ada = try await messaging.contact(api, token, "+14155550123")
        let single = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(ada), "body": "Your code"], token: token)
        let id = try #require(single["ids"]?.arrayValue?.first?.stringValue, "\(single.body)")
        _ = try await messaging.wait(api, token, id) { $0.string("status") == "sent" || $0.string("status") == "delivered" }

        let text = await api.host.metrics.exposition()
        #expect(text.contains(#"sms_deliveries_total{provider="simulated",result="accepted",worker="api"} 1"#), "\(text)")
        #expect(text.contains(#"ozzi_http_requests_total{worker="api",method="GET",route="/api/v1/messages/:id",status="2xx"}"#))
        #expect(text.contains(#"ozzi_http_requests_total{worker="api",method="POST",route="/api/v1/messages",status="2xx"} 1"#))
        #expect(!text.contains(id), "a message's id is never a label")
    }
}
