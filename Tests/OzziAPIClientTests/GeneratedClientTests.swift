import Foundation
import OzziAPIClient
import OzziRuntime
import OzziTestSupport
import Testing

/// The client generated from the document (Clients/OzziAPI) against a live host, over URLSession: what an
/// integrator who generates a client from `/api/v1/openapi.json` gets. Every call goes through it.
@Suite struct GeneratedClientTests {
    @Test func signsUpCreatesAContactAndSchedulesAMessage() async throws {
        let api = try await WorkerTestHost.start("api", .live)
        defer { Task { await api.stop() } }
        let server = try #require(URL(string: api.base))
        let bodies = ResponseBodies()
        let anonymous = Client(serverURL: server, middlewares: [bodies])

        // The document's one error shape is typed: a call without a token is a 4XX with its code.
        guard case .clientError(statusCode: 401, let refused) = try await anonymous.getApiV1Contacts() else {
            Issue.record("a call without a token was not refused with 401")
            return
        }
        #expect(try refused.body.json.error.code == "unauthorized")

        let signUp = try await anonymous.postApiV1AuthSignup(body: .json(.init(email: "client@example.com", password: "correct horse battery")))
        guard case .created = signUp else {
            Issue.record("sign-up answered \(signUp)")
            return
        }
        let token = try #require(bodies[Operations.PostApiV1AuthSignup.id]?["access_token"]?.stringValue)
        let client = Client(serverURL: server, token: token, middlewares: [bodies])

        let contact = try await client.postApiV1Contacts(body: .json(.init(name: "Ada Lovelace", phone: "+1 415 555 0100")))
        guard case .created = contact else {
            Issue.record("creating the contact answered \(contact)")
            return
        }
        let contactID = try #require(bodies[Operations.PostApiV1Contacts.id]?["id"]?.stringValue)

        // A day ahead, on a whole second: the message stays pending and comes back with this exact time.
        let due = SQLDate.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 86_400).rounded(.down)))
        let scheduled = try await client.postApiV1Messages(
            headers: .init(idempotencyKey: "client-test-1"),
            body: .json(.init(body: "Hello Ada, see you tomorrow", contactId: contactID, scheduledAt: due)))
        guard case .created = scheduled else {
            Issue.record("scheduling answered \(scheduled)")
            return
        }
        let messageID = try #require(bodies[Operations.PostApiV1Messages.id]?["message"]?["id"]?.stringValue)
        #expect(bodies[Operations.PostApiV1Messages.id]?["scheduled"] == 1)

        let read = try await client.getApiV1MessagesId(path: .init(id: messageID))
        guard case .ok = read else {
            Issue.record("reading the message answered \(read)")
            return
        }
        let message = try #require(bodies[Operations.GetApiV1MessagesId.id])
        #expect(message["id"]?.stringValue == messageID)
        #expect(message["contact_id"]?.stringValue == contactID)
        #expect(message["to"] == "+14155550100")
        #expect(message["body"] == "Hello Ada, see you tomorrow")
        #expect(message["scheduled_at"]?.stringValue == due)
        #expect(message["status"] == "pending")

        // Another tenant's message is the documented 4XX, not a 200.
        let other = try await anonymous.postApiV1AuthSignup(body: .json(.init(email: "other@example.com", password: "correct horse battery")))
        guard case .created = other else {
            Issue.record("the second sign-up answered \(other)")
            return
        }
        let stranger = Client(serverURL: server, token: try #require(bodies[Operations.PostApiV1AuthSignup.id]?["access_token"]?.stringValue))
        guard case .clientError(statusCode: 404, let hidden) = try await stranger.getApiV1MessagesId(path: .init(id: messageID)) else {
            Issue.record("another workspace could see the message")
            return
        }
        #expect(try hidden.body.json.error.code == "not_found")
    }
}
