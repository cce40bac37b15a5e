@testable import APIWorker
import OzziRuntime
import OzziTestSupport
import Testing

/// `GET /api/v1/stream` in the document: Server-Sent Events, resumable by the `Last-Event-ID` header (or
/// `?last_event_id=`), which takes any id: one it cannot resume from starts the stream with a reset.
@Suite struct StreamContractTests {
    @Test func theStreamDocumentsHowItResumes() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("live@example.com").string("access_token"))
        let operation = try await api.call("GET", "/api/v1/openapi.json").json["paths"]?["/api/v1/stream"]?["get"]
        let parameters = operation?["parameters"]?.arrayValue ?? []
        #expect(parameters.contains { $0["name"] == "Last-Event-ID" && $0["in"] == "header" })
        #expect(parameters.contains { $0["name"] == "last_event_id" && $0["in"] == "query" })
        #expect(operation?["responses"]?["200"]?["content"]?["text/event-stream"] != nil)

        let stream = try await api.call("GET", "/api/v1/stream", token: token, headers: ["Last-Event-ID": "not-an-id"], maxSeconds: 0.5)
        #expect(stream.status == 200 && stream.headers["content-type"] == "text/event-stream", "\(stream.status) \(stream.body)")
        #expect(stream.body.contains("event: reset"), "\(stream.body)")
    }
}
