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
        let anonymous = Client(serverURL: server)

        // Errors are typed by status: a call without a token is the documented 401 with its code.
        guard case .unauthorized(let refused) = try await anonymous.listContacts() else {
            Issue.record("a call without a token was not refused with 401")
            return
        }
        #expect(try refused.body.json.error.code == "unauthorized")

        // Sign-up mails a link; the token in it (here from the email the simulated provider kept) signs in.
        let signUp = try await anonymous.postAuthSignup(body: .json(.init(email: "client@example.com", password: "correct horse battery")))
        guard case .accepted(let mailed) = signUp, try mailed.body.json.status == .verificationSent else {
            Issue.record("sign-up answered \(signUp)")
            return
        }
        let token = try await AccountMailbox.nextToken(in: api.dataDirectory, to: "client@example.com", after: 0, path: "/api/v1/auth/verify-email")
        let verified = try await anonymous.postAuthVerifyEmail(body: .json(.init(token: token)))
        guard case .created(let signedUp) = verified else {
            Issue.record("verify-email answered \(verified)")
            return
        }
        let session = try signedUp.body.json
        #expect(session.tokenType == .bearer && session.user.email == "client@example.com")
        let client = Client(serverURL: server, token: session.accessToken)

        let contact = try await client.createContact(body: .json(.init(value1: .init(name: "Ada Lovelace"), value2: .init(value1: .init(phone: "+1 415 555 0100")))))
        guard case .created(let created) = contact else {
            Issue.record("creating the contact answered \(contact)")
            return
        }
        let newContact = try created.body.json
        #expect(newContact.phone == "+14155550100" && newContact.firstName == "Ada" && newContact.smsConsent.status == .unknown)
        let contactID = newContact.id

        // A day ahead, on a whole second: the message stays pending and comes back with this exact time.
        let due = SQLDate.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 86_400).rounded(.down)))
        let scheduled = try await client.createMessage(
            headers: .init(idempotencyKey: "client-test-1"),
            body: .json(.init(value1: .init(scheduledAt: due), value2: .case1(.init(contactId: contactID)),
                              value3: .case1(.init(body: "Hello Ada, see you tomorrow")))))
        guard case .created(let answer) = scheduled else {
            Issue.record("scheduling answered \(scheduled)")
            return
        }
        let outcome = try answer.body.json
        #expect(outcome.scheduled == 1 && outcome.skipped.isEmpty)
        let messageID = try #require(outcome.message?.id)

        let read = try await client.getMessage(path: .init(id: messageID))
        guard case .ok(let found) = read else {
            Issue.record("reading the message answered \(read)")
            return
        }
        let message = try found.body.json
        #expect(message.id == messageID)
        #expect(message.contactId == contactID)
        #expect(message.to == "+14155550100")
        #expect(message.body == "Hello Ada, see you tomorrow")
        #expect(message.scheduledAt == SQLDate.parse(due))
        #expect(message.status == Components.Schemas.Message.StatusPayload.pending)

        // Another tenant's message is the documented 4XX, not a 200.
        guard case .accepted = try await anonymous.postAuthSignup(body: .json(.init(email: "other@example.com", password: "correct horse battery"))) else {
            Issue.record("the second sign-up was refused")
            return
        }
        let otherToken = try await AccountMailbox.nextToken(in: api.dataDirectory, to: "other@example.com", after: 0, path: "/api/v1/auth/verify-email")
        let other = try await anonymous.postAuthVerifyEmail(body: .json(.init(token: otherToken)))
        guard case .created(let otherSession) = other else {
            Issue.record("the second sign-up answered \(other)")
            return
        }
        let stranger = Client(serverURL: server, token: try otherSession.body.json.accessToken)
        guard case .notFound(let hidden) = try await stranger.getMessage(path: .init(id: messageID)) else {
            Issue.record("another workspace could see the message")
            return
        }
        #expect(try hidden.body.json.error.code == "not_found")
    }
}
