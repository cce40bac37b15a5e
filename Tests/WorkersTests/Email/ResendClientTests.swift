@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The Resend client against a local stub of Resend's API that records every request: the exact JSON,
/// the headers, batching, and what each kind of answer means for the emails.
@Suite struct ResendClientTests {
    static let apiKey = "re_test_123456789"

    static func stub() async throws -> StubServer {
        try await StubServer("resend_stub.py", [apiKey])
    }

    static func email(_ index: Int, to: String? = nil, html: Bool = true) -> OutgoingEmail {
        OutgoingEmail(messageID: "msg_\(index)", workspaceID: "ws_1", from: "News <news@mail.example.com>",
                      to: to ?? "reader\(index)@example.org", replyTo: index % 2 == 0 ? "desk@example.com" : nil,
                      subject: "Issue \(index) \u{2014} \u{e9}t\u{e9}", html: html ? "<p>Hello \(index)</p>" : nil, text: "Hello \(index)",
                      headers: [EmailHeader(name: "List-Unsubscribe", value: "<https://app.example.com/u/\(index)>"),
                                EmailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")],
                      tags: [EmailTag(name: "campaign", value: "spring-2026")])
    }

    /// What Resend must receive for `email`, as JSON text parsed back (so key order does not matter).
    static func expected(_ email: OutgoingEmail) -> NSDictionary {
        var json: [String: Any] = [
            "from": email.from, "to": [email.to], "subject": email.subject, "text": email.text,
            "headers": ["X-Ozzi-Message-Id": email.messageID, "List-Unsubscribe": email.headers[0].value,
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"],
            "tags": [["name": "campaign", "value": "spring-2026"]],
        ]
        if let html = email.html { json["html"] = html }
        if let replyTo = email.replyTo { json["reply_to"] = replyTo }
        return json as NSDictionary
    }

    static func send(_ emails: [OutgoingEmail], port: Int, timeout: Int = 20_000) async throws -> [SendResult] {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let client = ResendEmailClient(baseURL: "http://127.0.0.1:\(port)", apiKey: apiKey,
                                       outbound: OutboundFetcher(worker: "api", allowed: [OutboundHostPattern("http://127.0.0.1:*")!]),
                                       timeoutMilliseconds: timeout)
        return await Task(executorPreference: group.loops[0]) { await client.send(emails) }.value
    }

    @Test func oneEmailIsOnePostWithItsIdempotencyKey() async throws {
        let stub = try await Self.stub()
        let results = try await Self.send([Self.email(2)], port: stub.port)
        let requests = try await stub.requests()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request["path"] as? String == "/emails")
        #expect(request["authorization"] as? String == "Bearer \(Self.apiKey)")
        #expect(request["content_type"] as? String == "application/json")
        #expect(request["idempotency_key"] as? String == "msg_2")
        #expect((request["body"] as? NSDictionary) == Self.expected(Self.email(2)))
        guard case .accepted(let id) = results.first, !id.isEmpty else { Issue.record("\(results)"); return }
        // A text-only email without a reply-to has neither key.
        _ = try await Self.send([Self.email(3, html: false)], port: stub.port)
        let body = try #require(try await stub.requests().last?["body"] as? [String: Any])
        #expect(body["html"] == nil && body["reply_to"] == nil)
        #expect((body as NSDictionary) == Self.expected(Self.email(3, html: false)))
    }

    @Test func twoHundredFiftyEmailsGoAsBatchesOf100100And50() async throws {
        let stub = try await Self.stub()
        let emails = (0..<250).map { Self.email($0) }
        let results = try await Self.send(emails, port: stub.port)
        let requests = try await stub.requests()
        #expect(requests.map { $0["path"] as? String } == ["/emails/batch", "/emails/batch", "/emails/batch"])
        let bodies = requests.map { $0["body"] as? [NSDictionary] ?? [] }
        #expect(bodies.map(\.count) == [100, 100, 50])
        #expect(bodies.flatMap { $0 } == emails.map(Self.expected))
        let keys = requests.compactMap { $0["idempotency_key"] as? String }
        #expect(keys == [0..<100, 100..<200, 200..<250].map { ResendEmailClient.batchKey(Array(emails[$0])) })
        #expect(Set(keys).count == 3)
        #expect(requests.allSatisfy { $0["authorization"] as? String == "Bearer \(Self.apiKey)" && $0["content_type"] as? String == "application/json" })
        let ids = results.compactMap { if case .accepted(let id) = $0 { id } else { nil } }
        #expect(ids.count == 250)
        #expect(Set(ids).count == 250)
    }

    @Test func answersMapToTransientPermanentOrUnknown() async throws {
        let stub = try await Self.stub()
        let single = try await Self.send([Self.email(1, to: "rate@example.org")], port: stub.port)
        #expect(single == [.transient(code: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second.",
                                      retryAfterSeconds: 2)])
        let failed = try await Self.send([Self.email(1, to: "error@example.org")], port: stub.port)
        #expect(failed == [.transient(code: "internal_server_error", message: "An unexpected error occurred.", retryAfterSeconds: nil)])
        let invalid = try await Self.send([Self.email(1, to: "invalid@example.org")], port: stub.port)
        guard case .permanent("validation_error", let message) = invalid.first else { Issue.record("\(invalid)"); return }
        #expect(message.hasPrefix("Invalid `to` field."))

        // A batch refused whole for one invalid email: each is sent alone, and only that one fails.
        let before = try await stub.requests().count
        let mixed = try await Self.send([Self.email(10), Self.email(11, to: "invalid@example.org"), Self.email(12)], port: stub.port)
        #expect(mixed.map { if case .accepted = $0 { "accepted" } else if case .permanent = $0 { "permanent" } else { "\($0)" } }
                == ["accepted", "permanent", "accepted"])
        let after = try await stub.requests().dropFirst(before)
        #expect(after.map { $0["path"] as? String } == ["/emails/batch", "/emails", "/emails", "/emails"])
        #expect(after.dropFirst().map { $0["idempotency_key"] as? String } == ["msg_10", "msg_11", "msg_12"])

        let limited = try await Self.send([Self.email(20), Self.email(21, to: "rate@example.org")], port: stub.port)
        #expect(limited.count == 2)
        #expect(limited.allSatisfy { if case .transient("rate_limit_exceeded", _, 2) = $0 { true } else { false } })
    }

    @Test func unansweredCallsAndRefusedConnections() async throws {
        let stub = try await Self.stub()
        // One email carries its key: a retry cannot send it twice, so no answer is still worth retrying.
        let single = try await Self.send([Self.email(1, to: "hang@example.org")], port: stub.port, timeout: 1_000)
        guard case .transient("network", _, nil) = single.first else { Issue.record("\(single)"); return }
        // A batch's fate is unknown: each of its emails goes to review.
        let batch = try await Self.send([Self.email(2), Self.email(3, to: "hang@example.org")], port: stub.port, timeout: 1_000)
        #expect(batch.count == 2)
        #expect(batch.allSatisfy { if case .unknown = $0 { true } else { false } }, "\(batch)")
        // Nothing listening: nothing was sent, all transient.
        let closed = try await Self.send([Self.email(4), Self.email(5)], port: try freeLoopbackPort())
        #expect(closed.allSatisfy { if case .transient("network", _, _) = $0 { true } else { false } }, "\(closed)")
    }

    @Test func aRepeatedKeyIsAnsweredOnceByResend() async throws {
        // What makes retrying a single email safe: an email encodes to the same bytes every time (keys
        // sorted), so the stub, like Resend, answers the known key and body with its first answer.
        let stub = try await Self.stub()
        let first = try await Self.send([Self.email(7)], port: stub.port)
        let second = try await Self.send([Self.email(7)], port: stub.port)
        #expect(first == second)
        guard case .accepted = first.first else { Issue.record("\(first)"); return }
    }
}
