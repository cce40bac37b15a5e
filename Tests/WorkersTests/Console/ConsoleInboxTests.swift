import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The inbox pages in process: a widget chat arrives in the list (unread), opening it marks it read, a
/// reply from the form reaches the visitor, assigning and resolving move it between the lists, and what a
/// visitor typed is shown as text.
@Suite struct ConsoleInboxTests {
    @Test func anAgentAnswersAWidgetChatFromTheInbox() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        let widget = try await api.call("POST", "/api/v1/widgets", json: ["name": "Shop", "allowed_origins": ["https://shop.example"]], token: s.token)
        let session = try await api.call("POST", "/widget/api/session", json: ["key": .string(try #require(widget.string("public_key")))],
                                         headers: WidgetChatTests.iframe)
        let visitor = WidgetChatTests.iframe.merging(["Authorization": "Bearer \(try #require(session.string("visitor_token")))"]) { a, _ in a }
        let first = try await api.call("POST", "/widget/api/messages", json: ["text": "Is <b>this</b> in stock?"], headers: visitor)
        let id = try #require(first.string("conversation_id"))

        let empty = try await s.get("/console/inbox?status=resolved")
        #expect(empty.status == 200 && empty.body.contains("No conversations here"))
        let inbox = try await s.get("/console/inbox")
        #expect(inbox.body.contains("href=\"/console/inbox/\(id)\"") && inbox.body.contains("aria-label=\"1 unread\"") && inbox.body.contains("data-live-part=\"conversations\""))
        #expect(inbox.body.contains("Is &lt;b&gt;this&lt;/b&gt; in stock?"), "a visitor's markup is text")
        let part = try await s.get("/console/inbox?part=conversations")
        #expect(part.body.hasPrefix("<table") && part.body.contains("/console/inbox/\(id)"))

        let page = try await s.get("/console/inbox/\(id)")
        #expect(page.status == 200 && page.body.contains("data-live-key=\"conversation_id\" data-live-id=\"\(id)\"") && page.body.contains("class=\"from-visitor\""))
        #expect(try await api.call("GET", "/api/v1/conversations/\(id)", token: s.token)["agent_unread"] == 0, "shown is read")

        #expect(try await s.post("/console/inbox/\(id)/reply", [("text", "Forged")], csrf: false).status == 403)
        let blank = try await s.post("/console/inbox/\(id)/reply", [("text", "   ")])
        #expect(blank.status == 422 && blank.body.contains("Write a reply first."))
        let reply = try await s.post("/console/inbox/\(id)/reply", [("text", "Yes: two left in blue")])
        #expect(reply.status == 303 && reply.headers["location"] == "/console/inbox/\(id)#reply-text")
        let seen = try await api.call("GET", "/widget/api/messages?after=1", headers: visitor)
        #expect(seen["messages"]?.arrayValue?.map { $0["text"] } == ["Yes: two left in blue"], "\(seen.body)")
        let thread = try await s.get("/console/inbox/\(id)?part=thread")
        #expect(thread.body.contains("class=\"from-agent\"") && thread.body.contains("owner@example.com") && !thread.body.contains("<h1>"), "\(thread.body)")

        let me = try #require(try await api.call("GET", "/api/v1/me", token: s.token).string("user", "id"))
        #expect(try await s.post("/console/inbox/\(id)", [("assign", "1"), ("assignee_id", "usr_nobody")]).status == 409)
        #expect(try await s.post("/console/inbox/\(id)", [("assign", "1"), ("assignee_id", me)]).status == 303)
        #expect(try await s.get("/console/inbox?assignee=me").body.contains("/console/inbox/\(id)"))
        #expect(!(try await s.get("/console/inbox?assignee=none").body.contains("/console/inbox/\(id)")))
        let resolved = try await s.post("/console/inbox/\(id)", [("status", "resolved")])
        #expect(resolved.headers["location"] == "/console/inbox")
        #expect(!(try await s.get("/console/inbox").body.contains("/console/inbox/\(id)")))
        #expect(try await s.get("/console/inbox?status=resolved").body.contains("/console/inbox/\(id)"))
        #expect(try await s.post("/console/inbox/\(id)", [("status", "closed")]).status == 422)
        #expect(try await s.get("/console/inbox?status=closed").status == 422)
        #expect(try await s.get("/console/inbox/cnv_nothing").status == 404)
    }
}
