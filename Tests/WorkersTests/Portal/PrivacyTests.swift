import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Data protection through the portal and the workspace: a person downloads everything held about them,
/// asks for erasure, and the workspace completes it; the retention policy's daily run deletes what is
/// older than it keeps, and says so in the audit log.
@Suite struct PrivacyTests {
    @Test func aPortalUserExportsTheirDataAndHasItErased() async throws {
        let f = try await PortalFixture.start()
        defer { Task { await f.api.stop() } }
        try await f.enable()
        let ada = try await f.contact("Ada Lovelace", email: "ada@example.com", phone: "+14155550100")
        _ = try await f.contact("Bob", email: "bob@example.com")
        let adaChat = try await f.chat(as: "ada@example.com", user: "u-ada", text: "Where is my order?")
        let bobChat = try await f.chat(as: "bob@example.com", user: "u-bob", text: "Bob's own question")
        let tomorrow = JSONValue.string(SQLDate.format(Date().addingTimeInterval(86_400)))
        let sms = try #require(try await f.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(ada), "body": "Your table is ready",
                                                                                       "scheduled_at": tomorrow], token: f.token).string("message", "id"))
        let group = try #require(try await f.api.call("POST", "/api/v1/groups", json: ["name": "VIP"], token: f.token).string("id"))
        _ = try await f.api.call("POST", "/api/v1/groups/\(group)/members", json: ["contact_ids": [.string(ada)]], token: f.token)
        // Ada and Bob each sent the workspace's form.
        let forms = FormFixture(api: f.api, token: f.token)
        let (formID, formKey) = try await forms.form()
        for (email, first) in [("ada@example.com", "Ada"), ("bob@example.com", "Bob")] {
            let (_, formToken) = try await forms.show(formKey)
            #expect(try await forms.submit(formKey, token: formToken, ["email": .string(email), "first": .string(first), "texts": true]).status == 201)
        }
        // Ada called the workspace's recorded number (a simulated test call from her phone).
        let number = try #require(try await f.api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk",
                                                                                              "record_calls": true], token: f.token).string("id"))
        let adaCall = try #require(try await f.api.call("POST", "/api/v1/voice/numbers/\(number)/test-calls", json: ["from": "+14155550100"],
                                                        token: f.token).string("id"))
        #expect(try await Poll.until(timeout: .seconds(300)) {
            try await f.api.call("GET", "/api/v1/calls/\(adaCall)", token: f.token).json["has_recording"] == true
        })
        let accepted = try await f.invite(ada, email: "ada@example.com")
        let access = try #require(accepted.string("access_token"), "\(accepted.body)")
        let sent = try await f.api.call("GET", "/api/v1/client-portal/me/submissions", token: access)
        #expect(sent.status == 200 && sent.data.count == 1 && sent.data[0]["form_name"] == "Newsletter" && sent.data[0]["answers"]?["first"] == "Ada",
                "only their own submissions: \(sent.body)")
        #expect(sent.data[0]["consents"]?.arrayValue?.first?["wording"] == "Text me offers. Reply STOP to stop.")
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me/submissions", token: f.token).status == 401, "a workspace token is not a portal one")

        // Everything held about them, as one file.
        let export = try await f.api.call("GET", "/api/v1/client-portal/me/export", token: access)
        #expect(export.status == 200 && export.headers["content-disposition"]?.hasPrefix("attachment;") == true, "\(export.body)")
        #expect(export.string("format") == "ozzi-personal-data/1" && export.string("contact", "email") == "ada@example.com")
        let messages = export["messages"]?.arrayValue ?? []
        #expect(messages.contains { $0["id"] == .string(sms) && $0["body"] == "Your table is ready" }, "\(export.body)")
        #expect(messages.contains { $0["channel"] == "email" && ($0["subject"]?.stringValue ?? "").contains("client portal") }, "the invitation is theirs too")
        let chats = export["conversations"]?.arrayValue ?? []
        #expect(chats.count == 1 && chats[0]["id"] == .string(adaChat) && chats[0]["messages"]?.arrayValue?.count == 2)
        #expect(export["groups"]?.arrayValue?.first?["name"] == "VIP" && export["portal_access"]?.arrayValue?.count == 1)
        let calls = export["calls"]?.arrayValue ?? []
        #expect(calls.count == 1 && calls.first?["id"] == .string(adaCall) && calls.first?["recording"] == .string("/api/v1/calls/\(adaCall)/recording"), "\(export.body)")
        #expect((calls.first?["transcript"]?.arrayValue?.count ?? 0) >= 2, "what was said on her call: \(calls)")
        let submissions = export["form_submissions"]?.arrayValue ?? []
        #expect(submissions.count == 1 && submissions.first?["form_name"] == "Newsletter" && submissions.first?["answers"]?["email"] == "ada@example.com")
        #expect(!export.body.contains("Bob"), "nobody else's data: \(export.body)")
        let byWorkspace = try await f.api.call("GET", "/api/v1/privacy/contacts/\(ada)/export", token: f.token)
        // The same records (a status may move on between the two reads: the invitation's delivery).
        let ids = { (document: TestResponse, section: String) in Set(document[section]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) }
        #expect(byWorkspace.status == 200 && ids(byWorkspace, "messages") == ids(export, "messages") && ids(byWorkspace, "conversations") == ids(export, "conversations"),
                "\(byWorkspace.body)")
        #expect(try await f.api.call("GET", "/api/v1/privacy/contacts/con_missing/export", token: f.token).status == 404)

        // The request, once; the workspace sees it.
        let asked = try await f.api.call("POST", "/api/v1/client-portal/me/erasure", token: access)
        #expect(asked.status == 202 && asked.string("status") == "pending", "\(asked.body)")
        let requestID = try #require(asked.string("id"))
        #expect(try await f.api.call("POST", "/api/v1/client-portal/me/erasure", token: access).string("id") == requestID)
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: access).string("erasure_request", "status") == "pending")
        let pending = try await f.api.call("GET", "/api/v1/privacy/erasure-requests?status=pending", token: f.token)
        #expect(pending.data.count == 1 && pending.data[0]["contact_id"] == .string(ada) && pending.data[0]["email"] == "ada@example.com", "\(pending.body)")

        // Completed: the person's records go, everyone else's stay.
        let done = try await f.api.call("POST", "/api/v1/privacy/erasure-requests/\(requestID)/complete", token: f.token)
        #expect(done.status == 200 && done.string("status") == "completed", "\(done.body)")
        #expect(done.string("email") == "sha256:" + Crypto.sha256Hex("ada@example.com"), "only a hash of the address is kept")
        #expect(done["erased"]?["contacts"] == 1 && done["erased"]?["conversations"] == 1 && done["erased"]?["portal_users"] == 1
                    && done["erased"]?["form_submissions"] == 1 && done["erased"]?["calls"] == 1, "\(done.body)")
        #expect(try await f.api.call("GET", "/api/v1/calls", token: f.token).data.isEmpty, "her call, its transcript and recording are erased")
        let stats = try await f.api.call("GET", "/api/v1/calls/stats", token: f.token)
        #expect(stats.json["totals"]?["calls"] == 0, "the dashboard no longer counts it: \(stats.body)")
        #expect(try await f.api.call("GET", "/api/v1/forms/\(formID)/submissions", token: f.token).data.map { $0["answers"]?["first"] } == ["Bob"])
        #expect((done["erased"]?["messages"]?.numberValue ?? 0) >= 2, "the SMS and the invitation: \(done.body)")
        #expect(try await f.api.call("POST", "/api/v1/privacy/erasure-requests/\(requestID)/complete", token: f.token).status == 409)
        for path in ["/api/v1/contacts/\(ada)", "/api/v1/conversations/\(adaChat)", "/api/v1/messages/\(sms)", "/api/v1/calls/\(adaCall)/recording"] {
            #expect(try await f.api.call("GET", path, token: f.token).status == 404, "\(path) is erased")
        }
        #expect(try await f.api.call("GET", "/api/v1/conversations/\(bobChat)", token: f.token).status == 200)
        #expect(try await f.api.call("GET", "/api/v1/groups/\(group)/members", token: f.token).data.isEmpty)
        #expect(try await f.api.call("GET", "/api/v1/client-portal/me", token: access).status == 401, "their portal access went with them")
        #expect(try await f.signIn("ada@example.com").status == 401)
        let database = try await f.api.database("api")
        for table in ["messages WHERE contact_id = ?", "conversation_messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ?",
                      "widget_visitors WHERE contact_id = ?", "portal_users WHERE contact_id = ?", "form_submissions WHERE contact_id = ?"] {
            let left = try await database.prepare("SELECT count(*) AS n FROM \(table)").bind(ada).first()?.integer("n")
            #expect(left == 0, "\(table): \(left ?? -1) left")
        }
        let audit = try await f.api.call("GET", "/api/v1/audit-log", token: f.token).body
        #expect(audit.contains("privacy.erasure_requested") && audit.contains("privacy.erasure_completed") && audit.contains("portal.data_exported"))
    }

    /// The daily run at 01:00 UTC deletes conversations and messages older than the policy keeps, and
    /// writes an audit entry per run.
    @Test func theRetentionRunDeletesWhatIsOlderThanThePolicyKeeps() async throws {
        let clock = MessagingTests.manualClock()
        let f = try await PortalFixture.start(clock: clock, vars: ["SMS_RETRY_BASE_SECONDS": "0.2"])
        defer { Task { await f.api.stop() } }
        let ada = try await f.contact("Ada", email: "ada@example.com", phone: "+14155550100")
        let old = try await f.chat(as: "ada@example.com", user: "u-ada", text: "An old question")
        let sms = try #require(try await f.api.call("POST", "/api/v1/messages", json: ["contact_id": .string(ada), "body": "Old news"], token: f.token).string("message", "id"))
        var status: String?
        _ = try await Poll.until(timeout: .seconds(60), interval: .milliseconds(50)) {
            clock.advance(byMilliseconds: 100)
            status = try await f.api.call("GET", "/api/v1/messages/\(sms)", token: f.token).string("status")
            return status == "sent" || status == "delivered"
        }
        #expect(status == "sent" || status == "delivered", "\(status ?? "nil")")
        let forms = FormFixture(api: f.api, token: f.token)
        let (formID, formKey) = try await forms.form()
        let (_, formToken) = try await forms.show(formKey)
        #expect(try await forms.submit(formKey, token: formToken, ["email": "old-form@example.com"]).status == 201)

        // Bad policies are named; the owner sets 30 days.
        let zero = try await f.api.call("PUT", "/api/v1/privacy/retention", json: ["days": 0], token: f.token)
        #expect(zero.status == 422 && zero.string("error", "details", "field") == "days", "\(zero.body)")
        let set = try await f.api.call("PUT", "/api/v1/privacy/retention", json: ["days": 30], token: f.token)
        #expect(set.status == 200 && set["days"] == 30, "\(set.body)")

        clock.advance(byMilliseconds: 31 * 86_400_000)
        let token = try #require(try await f.api.call("POST", "/api/v1/auth/login", json: ["email": "owner@example.com", "password": "correct horse battery"])
            .string("access_token"))
        let recent = try await f.chat(as: "bob@example.com", user: "u-bob", text: "A new question", token: token)
        let (_, newToken) = try await forms.show(formKey)
        #expect(try await forms.submit(formKey, token: newToken, ["email": "new-form@example.com"]).status == 201)

        // The host's scheduler fires the daily trigger at each 01:00 the clock passed; one more run by hand
        // may race it, so what went is summed over the runs' audit entries.
        try await f.trigger(RetentionRun.cron)
        #expect(try await f.api.call("GET", "/api/v1/conversations/\(old)", token: token).status == 404)
        #expect(try await f.api.call("GET", "/api/v1/messages/\(sms)", token: token).status == 404)
        #expect(try await f.api.call("GET", "/api/v1/conversations/\(recent)", token: token).status == 200, "newer than the cutoff")
        // The old chat's session went with its conversation (chat_sessions below); the new one stays.
        #expect(try await f.api.call("GET", "/api/v1/contacts/\(ada)", token: token).status == 200, "contacts are not the policy's")
        #expect(try await f.api.call("GET", "/api/v1/privacy/retention", token: token).string("last_run_at") != nil)
        let audit = try await f.api.call("GET", "/api/v1/audit-log?limit=100", token: token)
        let runs = audit.data.filter { $0["event"] == "privacy.retention_applied" }
        let total = { (kind: String) in runs.compactMap { $0["details"]?[kind]?.numberValue }.reduce(0, +) }
        #expect(!runs.isEmpty && runs.allSatisfy { $0["details"]?["days"] == 30 }, "\(audit.body)")
        #expect(total("conversations") == 1 && total("messages") == 1 && total("chat_sessions") == 1 && total("form_submissions") == 1, "\(runs)")
        let kept = try await f.api.call("GET", "/api/v1/forms/\(formID)/submissions", token: token).data
        #expect(kept.map { $0["answers"]?["email"] } == ["new-form@example.com"], "the newer submission stays")

        // The trigger is configured: daily at 01:00 UTC.
        let config = try WorkerTestHost.configuration()
        let crons = try #require(config.workers.first { $0.name == "api" }?.bindings.crons)
        let daily = try #require(crons.first { $0.expression == RetentionRun.cron })
        let noon = Int64(1_796_212_800)  // 2026-12-02T12:00:00Z
        #expect(daily.next(after: noon) == noon + 13 * 3600, "the next run is 01:00 UTC the day after")

        let none = try await f.api.call("PUT", "/api/v1/privacy/retention", json: ["days": .null], token: token)
        #expect(none.status == 200 && none["days"] == nil, "\(none.body)")
    }
}
