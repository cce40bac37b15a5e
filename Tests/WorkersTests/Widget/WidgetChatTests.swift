import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The chat through the widget worker (as the iframe calls it) and the inbox through the API: who may
/// call, how often, what a visitor and an agent see of each other, and who a visitor is.
@Suite struct WidgetChatTests {
    /// The iframe's own origin as the in-process harness addresses the host (`Host: 127.0.0.1`).
    static let iframe = ["Origin": "http://127.0.0.1"]

    struct Setup {
        let api: WorkerTestHost
        let token: String
        let key: String
        let secret: String
        let widgetID: String
    }

    /// `clock`: a test of rate limits stops time, so no token comes back however slowly the machine runs.
    func setUp(clock: any WallClock = SystemClock()) async throws -> Setup {
        let api = try await APIHost.start(clock: clock)
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let made = try await api.call("POST", "/api/v1/widgets", json: ["name": "Shop", "allowed_origins": ["https://shop.example"]], token: token)
        return Setup(api: api, token: token, key: try #require(made.string("public_key")), secret: try #require(made.string("identity_secret")),
                     widgetID: try #require(made.string("id")))
    }

    func session(_ s: Setup, identity: JSONValue? = nil, from: String? = nil, origin: [String: String] = iframe) async throws -> TestResponse {
        var body: [String: JSONValue] = ["key": .string(s.key)]
        if let identity { body["identity"] = identity }
        return try await s.api.call("POST", "/widget/api/session", json: .object(body), headers: origin, from: from)
    }

    func visitor(_ token: String) -> [String: String] {
        Self.iframe.merging(["Authorization": "Bearer \(token)"]) { a, _ in a }
    }

    @Test func aVisitorAndAnAgentTalk() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        let made = try await session(s)
        #expect(made.status == 201 && made["identified"] == false, "\(made.body)")
        let visitorToken = try #require(made.string("visitor_token"))
        let first = try await s.api.call("POST", "/widget/api/messages", json: ["text": "  Where is my order?  "], headers: visitor(visitorToken))
        #expect(first.status == 201, "\(first.body)")
        #expect(first.string("message", "text") == "Where is my order?" && first["message"]?["seq"] == 1 && first.string("message", "from") == "visitor")
        let conversationID = try #require(first.string("conversation_id"))

        let inbox = try await s.api.call("GET", "/api/v1/conversations?status=open&unread=true", token: s.token)
        #expect(inbox.data.count == 1 && inbox.data[0]["agent_unread"] == 1 && inbox.data[0]["status"] == "open", "\(inbox.body)")
        let reply = try await s.api.call("POST", "/api/v1/conversations/\(conversationID)/messages", json: ["text": "On its way!"], token: s.token)
        #expect(reply.status == 201 && reply["seq"] == 2 && reply.string("sender") == "agent", "\(reply.body)")

        // The visitor catches up after the last seq it has; agent ids stay inside.
        let since = try await s.api.call("GET", "/widget/api/messages?after=1", headers: visitor(visitorToken))
        #expect(since["messages"]?.arrayValue?.map { $0["text"] } == ["On its way!"], "\(since.body)")
        #expect(!since.body.contains("usr_"))
        let thread = try await s.api.call("GET", "/api/v1/conversations/\(conversationID)/messages?after=0", token: s.token)
        #expect(thread.data.map { $0["body"] } == ["Where is my order?", "On its way!"] && thread["last_seq"] == 2)

        // Read receipts both ways.
        let read = try await s.api.call("POST", "/api/v1/conversations/\(conversationID)/read", token: s.token)
        #expect(read["agent_unread"] == 0 && read["agent_read_seq"] == 2)
        #expect(try await s.api.call("POST", "/widget/api/read", json: ["seq": 2], headers: visitor(visitorToken)).status == 204)
        #expect(try await s.api.call("GET", "/api/v1/conversations/\(conversationID)", token: s.token)["visitor_read_seq"] == 2)

        // Assign and resolve; the visitor writing again opens it.
        let profile = try await s.api.call("GET", "/api/v1/me", token: s.token)
        let me = try #require(profile.string("user", "id") ?? profile.string("id"), "\(profile.body)")
        let assigned = try await s.api.call("PATCH", "/api/v1/conversations/\(conversationID)", json: ["assignee_id": .string(me), "status": "resolved"], token: s.token)
        #expect(assigned.string("assignee_id") == me && assigned.string("status") == "resolved", "\(assigned.body)")
        #expect(try await s.api.call("GET", "/api/v1/conversations?assignee=me", token: s.token).data.count == 1)
        #expect(try await s.api.call("GET", "/api/v1/conversations?assignee=none", token: s.token).data.isEmpty)
        let stranger = try await s.api.call("PATCH", "/api/v1/conversations/\(conversationID)", json: ["assignee_id": "usr_nobody"], token: s.token)
        #expect(stranger.status == 409 && stranger.string("error", "details", "field") == "assignee_id")
        _ = try await s.api.call("POST", "/widget/api/messages", json: ["text": "One more thing"], headers: visitor(visitorToken))
        let reopened = try await s.api.call("GET", "/api/v1/conversations/\(conversationID)", token: s.token)
        #expect(reopened.string("status") == "open" && reopened["agent_unread"] == 1 && reopened["last_seq"] == 3)
    }

    /// Two first messages at once (a double click, two tabs) make one conversation.
    @Test func firstMessagesAtOnceMakeOneConversation() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        let token = try #require(try await session(s).string("visitor_token"))
        let answers = try await withThrowingTaskGroup(of: String?.self) { group in
            for n in 0..<6 {
                group.addTask { try await s.api.call("POST", "/widget/api/messages", json: ["text": .string("m\(n)")], headers: visitor(token)).string("conversation_id") }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(Set(answers.compactMap { $0 }).count == 1 && answers.count == 6, "\(answers)")
        let inbox = try await s.api.call("GET", "/api/v1/conversations", token: s.token)
        #expect(inbox.data.count == 1 && inbox.data.first?["last_seq"] == 6, "\(inbox.body)")
    }

    @Test func badCallsAreRefusedAndNamed() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        // Who may call: the iframe's origin or the widget's; a POST without an Origin came from no page.
        #expect(try await session(s, origin: [:]).status == 403)
        let foreign = try await session(s, origin: ["Origin": "https://evil.example"])
        #expect(foreign.status == 403 && foreign.string("error", "code") == "origin_not_allowed")
        #expect(try await session(s, origin: ["Origin": "https://shop.example"]).status == 201)
        let token = try #require(try await session(s).string("visitor_token"))
        #expect(try await s.api.call("POST", "/widget/api/messages", json: ["text": "hi"],
                                     headers: ["Origin": "https://evil.example", "Authorization": "Bearer \(token)"]).status == 403)

        let blank = try await s.api.call("POST", "/widget/api/messages", json: ["text": "   "], headers: visitor(token))
        #expect(blank.status == 422 && blank.string("error", "details", "field") == "text")
        let long = try await s.api.call("POST", "/widget/api/messages", json: ["text": .string(String(repeating: "a", count: 2001))], headers: visitor(token))
        #expect(long.status == 422 && long.string("error", "details", "field") == "text")
        let huge = try await s.api.call("POST", "/widget/api/messages", raw: "{\"text\":\"\(String(repeating: "a", count: 20_000))\"}", headers: visitor(token))
        #expect(huge.status == 413)
        #expect(try await s.api.call("POST", "/widget/api/messages", json: ["text": "hi"], headers: visitor("wvt_forged")).status == 401)
        #expect(try await s.api.call("POST", "/widget/api/messages", json: ["text": "hi"], headers: Self.iframe).status == 401)
        #expect(try await s.api.call("GET", "/widget/api/messages?after=x", headers: visitor(token)).status == 422)
        // Numbers out of range are refused, not converted (1e19 does not fit a seq).
        for seq: JSONValue in [1e19, -1, 1.5, "2"] {
            let read = try await s.api.call("POST", "/widget/api/read", json: ["seq": seq], headers: visitor(token))
            #expect(read.status == 422 && read.string("error", "details", "field") == "seq", "\(seq): \(read.body)")
        }
        #expect(try await s.api.call("POST", "/widget/api/session", json: ["key": "wpk_nope"], headers: Self.iframe).status == 404)
        // Nothing was accepted from the refused calls.
        #expect(try await s.api.call("GET", "/api/v1/conversations", token: s.token).data.isEmpty)
    }

    @Test func newConversationsAndMessagesAreRateLimited() async throws {
        let s = try await setUp(clock: ManualClock(milliseconds: 1_800_000_000_000))
        defer { Task { await s.api.stop() } }
        for _ in 0..<10 { #expect(try await session(s, from: "10.9.0.1").status == 201) }
        let limited = try await session(s, from: "10.9.0.1")
        #expect(limited.status == 429 && Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1, "\(limited.body)")
        #expect(try await session(s, from: "10.9.0.2").status == 201, "another network is not limited")

        let token = try #require(try await session(s, from: "10.9.0.3").string("visitor_token"))
        for n in 0..<20 {
            #expect(try await s.api.call("POST", "/widget/api/messages", json: ["text": .string("m\(n)")], headers: visitor(token), from: "10.9.0.3").status == 201)
        }
        let tooFast = try await s.api.call("POST", "/widget/api/messages", json: ["text": "again"], headers: visitor(token), from: "10.9.0.3")
        #expect(tooFast.status == 429 && tooFast.headers["retry-after"] != nil)
    }

    @Test func onlyASignedIdentifyLinksAContact() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        let expires = Int64(Date().timeIntervalSince1970) + 600
        func identity(_ user: String, _ email: String, signedFor: String? = nil) -> JSONValue {
            ["user_id": .string(user), "email": .string(email), "name": "Ada", "expires_at": .number(Double(expires)),
             "signature": .string(WidgetIdentity.sign(secret: s.secret, userID: user, email: signedFor ?? email, expiresAt: expires))]
        }
        // An existing contact with the address: only a signature for that address reaches it.
        let contact = try await s.api.call("POST", "/api/v1/contacts", json: ["name": "Boss", "email": "boss@example.com"], token: s.token)
        let contactID = try #require(contact.string("id"), "\(contact.body)")

        let forged = try await session(s, identity: identity("u-9", "boss@example.com", signedFor: "me@example.com"))
        #expect(forged.status == 201 && forged["identified"] == false && forged.string("identity_error")?.contains("signature") == true, "\(forged.body)")
        let forgedToken = try #require(forged.string("visitor_token"))
        let forgedConversation = try #require(try await s.api.call("POST", "/widget/api/messages", json: ["text": "I am the boss"],
                                                                   headers: visitor(forgedToken)).string("conversation_id"))
        #expect(try await s.api.call("GET", "/api/v1/conversations/\(forgedConversation)", token: s.token)["contact_id"] == nil)
        let unsigned = try await s.api.call("POST", "/widget/api/identify", json: ["identity": ["user_id": "u-9", "email": "boss@example.com"]],
                                            headers: visitor(forgedToken))
        #expect(unsigned["identified"] == false)
        #expect(try await s.api.call("GET", "/api/v1/conversations/\(forgedConversation)", token: s.token)["contact_id"] == nil)

        // Signed: at the start of the session, or later through identify.
        let signed = try await session(s, identity: identity("u-1", "boss@example.com"))
        #expect(signed["identified"] == true, "\(signed.body)")
        let signedToken = try #require(signed.string("visitor_token"))
        let conversation = try #require(try await s.api.call("POST", "/widget/api/messages", json: ["text": "Hello"],
                                                             headers: visitor(signedToken)).string("conversation_id"))
        #expect(try await s.api.call("GET", "/api/v1/conversations/\(conversation)", token: s.token).string("contact_id") == contactID)

        // A session identified as one user is not continued as another (a shared browser).
        let other = try await s.api.call("POST", "/widget/api/identify", json: ["identity": identity("u-7", "someone@example.com")],
                                         headers: visitor(signedToken))
        #expect(other.status == 409 && other.string("error", "code") == "identity_changed", "\(other.body)")
        #expect(try await s.api.call("POST", "/widget/api/identify", json: ["identity": identity("u-1", "boss@example.com")],
                                     headers: visitor(signedToken))["identified"] == true)

        let later = try #require(try await session(s).string("visitor_token"))
        let laterConversation = try #require(try await s.api.call("POST", "/widget/api/messages", json: ["text": "Hi"], headers: visitor(later))
            .string("conversation_id"))
        let identified = try await s.api.call("POST", "/widget/api/identify", json: ["identity": identity("u-2", "new.person@example.com")],
                                              headers: visitor(later))
        #expect(identified["identified"] == true, "\(identified.body)")
        let newContact = try #require(try await s.api.call("GET", "/api/v1/conversations/\(laterConversation)", token: s.token).string("contact_id"))
        #expect(try await s.api.call("GET", "/api/v1/contacts/\(newContact)", token: s.token).string("email") == "new.person@example.com")
    }

    /// An address typed in the chat becomes a contact only when the workspace has none with it; the answer
    /// is the same either way.
    @Test func anEmailLeftInTheChatNeverAttachesAnExistingContact() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        _ = try await s.api.call("POST", "/api/v1/contacts", json: ["name": "Boss", "email": "boss@example.com"], token: s.token)
        var answers: [String] = []
        var conversations: [String] = []
        for address in ["Boss@Example.com", "new.visitor@example.com"] {
            let token = try #require(try await session(s).string("visitor_token"))
            let sent = try await s.api.call("POST", "/widget/api/messages", json: ["text": "hello"], headers: visitor(token))
            conversations.append(try #require(sent.string("conversation_id")))
            let left = try await s.api.call("POST", "/widget/api/email", json: ["email": .string(address)], headers: visitor(token))
            #expect(left.status == 200, "\(left.body)")
            answers.append(left.body)
        }
        #expect(answers[0] == answers[1], "the answer tells whether the address is a contact")
        #expect(try await s.api.call("GET", "/api/v1/conversations/\(conversations[0])", token: s.token)["contact_id"] == nil)
        let linked = try #require(try await s.api.call("GET", "/api/v1/conversations/\(conversations[1])", token: s.token).string("contact_id"))
        #expect(try await s.api.call("GET", "/api/v1/contacts/\(linked)", token: s.token).string("email") == "new.visitor@example.com")
        let token = try #require(try await session(s).string("visitor_token"))
        let bad = try await s.api.call("POST", "/widget/api/email", json: ["email": "not an address"], headers: visitor(token))
        #expect(bad.status == 422 && bad.string("error", "details", "field") == "email", "\(bad.body)")
    }

    /// A contact's history shows what was said on every channel, newest first, page by page.
    @Test func aContactsHistoryHoldsEveryChannel() async throws {
        let s = try await setUp()
        defer { Task { await s.api.stop() } }
        let contact = try await s.api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550188", "email": "ada@example.com"], token: s.token)
        let contactID = try #require(contact.string("id"), "\(contact.body)")
        // Due tomorrow, so neither moves in the history (a sent message counts at its sending) while the test reads it.
        let tomorrow = JSONValue.string(SQLDate.format(Date().addingTimeInterval(86_400)))
        let sms = try await s.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contactID), "body": "Your table is ready",
                                                                          "scheduled_at": tomorrow], token: s.token)
        #expect(sms.status == 201, "\(sms.body)")
        let email = try await s.api.call("POST", "/api/v1/emails", json: ["contact_id": .string(contactID), "from": "Shop <news@sandbox.ozzi.test>",
                                                                          "subject": "Your receipt", "text": "Thanks", "scheduled_at": tomorrow], token: s.token)
        #expect(email.status == 201, "\(email.body)")
        let expires = Int64(Date().timeIntervalSince1970) + 600
        let identity: JSONValue = ["user_id": "u-1", "email": "ada@example.com", "expires_at": .number(Double(expires)),
                                   "signature": .string(WidgetIdentity.sign(secret: s.secret, userID: "u-1", email: "ada@example.com", expiresAt: expires))]
        let visitorToken = try #require(try await session(s, identity: identity).string("visitor_token"))
        let chat = try await s.api.call("POST", "/widget/api/messages", json: ["text": "Is my order shipped?"], headers: visitor(visitorToken))
        _ = try await s.api.call("POST", "/api/v1/conversations/\(try #require(chat.string("conversation_id")))/messages", json: ["text": "Yes, today"],
                                 token: s.token)

        let history = try await s.api.call("GET", "/api/v1/contacts/\(contactID)/history?limit=10", token: s.token)
        #expect(history.status == 200, "\(history.body)")
        let lines = history.data.map { "\($0["channel"]?.stringValue ?? "") \($0["direction"]?.stringValue ?? "") \($0["text"]?.stringValue ?? "")" }
        #expect(Set(lines) == ["sms outbound Your table is ready", "email outbound Your receipt", "chat inbound Is my order shipped?", "chat outbound Yes, today"],
                "\(history.body)")
        let times = history.data.compactMap { $0["at"]?.stringValue }
        #expect(times == times.sorted(by: >), "newest first")
        // Page by page, the same items without repeats.
        var paged: [String] = []
        var cursor: String?
        repeat {
            let page = try await s.api.call("GET", "/api/v1/contacts/\(contactID)/history?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), token: s.token)
            paged += page.data.compactMap { $0["id"]?.stringValue }
            cursor = page.string("next_cursor")
        } while cursor != nil
        #expect(paged == history.data.compactMap { $0["id"]?.stringValue })
        #expect(try await s.api.call("GET", "/api/v1/contacts/con_nope/history", token: s.token).status == 404)
    }
}

/// The visitor's WebSocket over a real socket, spoken by the `websockets` library
/// (Tests/clients/widget_socket.py says what it does).
@Suite struct WidgetSocketTests {
    @Test func theSocketResumesWithoutGapsOrRepeats() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        let widget = try await api.call("POST", "/api/v1/widgets", json: ["name": "Shop", "allowed_origins": ["https://shop.example"]], token: token)
        let key = try #require(widget.string("public_key"))
        let run = try await Subprocess.run("/usr/bin/python3", [Subprocess.clientPath("widget_socket.py"), api.base, token, key])
        #expect(run.status == 0, "widget_socket.py: \(run.stderr)")
        let seen = try JSONValue(jsonBytes: Array(run.stdout.utf8))
        #expect(seen["no_origin"] == 403 && seen["foreign_origin"] == 403, "\(run.stdout) \(run.stderr)")
        #expect(seen["no_hello"] == 1002 && seen["unknown_session"] == 4401, "\(run.stdout)")
        #expect(seen["missed"] == [[2, "two", "visitor"], [3, "three", "agent"]], "\(run.stdout)")
        #expect(seen["live"] == [[4, "four"]] && seen["typing"] == 1 && seen["read"] == 4, "\(run.stdout)")
        #expect(seen["resumed"] == [[5, "five"], [6, "six"]], "\(run.stdout)")
        #expect(seen["huge_after"] == [1, 2, 3], "\(run.stdout)")
        #expect(seen["visitor_read_seq"] == 6, "\(run.stdout)")
    }
}
