import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The campaign pages in process: the preview follows what is typed (SMS encoding and segments, unknown
/// variables named), a refused form keeps what was typed, a campaign sent from the form runs to finished
/// with its numbers on the live part, and the actions follow the campaign's state.
@Suite struct ConsoleCampaignTests {
    typealias Jar = ConsoleTests.Jar

    struct Signed {
        let api: WorkerTestHost
        let token: String
        var jar = Jar()
        var csrf = ""

        func get(_ path: String) async throws -> TestResponse { try await api.call("GET", path, headers: jar.header) }

        func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
            try await api.call("POST", path, raw: ConsoleTests.encoded(fields + (csrf ? [("_csrf", self.csrf)] : [])),
                               headers: ConsoleTests.form.merging(jar.header) { $1 })
        }
    }

    static func signedIn(_ api: WorkerTestHost) async throws -> Signed {
        let token = try #require(try await api.signUp("owner@example.com").string("access_token"))
        var signed = Signed(api: api, token: token)
        _ = try await ConsoleTests.signIn(api, &signed.jar)
        signed.csrf = try #require(ConsoleTests.csrf(in: try await signed.get("/console/campaigns").body))
        return signed
    }

    @Test func thePreviewShowsTheMessageForAContactWithItsSegments() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await Self.signedIn(api)
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["first_name": "Ada", "last_name": "Lovelace", "phone": "+14155550111"], token: s.token).status == 201)

        let blank = try await s.get("/console/campaigns/new")
        #expect(blank.status == 200 && blank.body.contains("data-preview=\"/console/compose/preview\"") && blank.body.contains("Write the message to see it here"))

        func preview(_ query: [(String, String)]) async throws -> String { try await s.get("/console/compose/preview?" + FormEncoding.encode(query)).body }
        let short = try await preview([("channel", "sms"), ("body", "Hi {{first_name|there}}, your table is ready")])
        #expect(short.contains("Hi Ada, your table is ready") && short.contains("GSM-7 · 27 characters · 1 segment"), "\(short)")
        let long = try await preview([("channel", "sms"), ("body", String(repeating: "a", count: 161))])
        #expect(long.contains("GSM-7 · 161 characters · 2 segments"), "\(long)")
        let unicode = try await preview([("channel", "sms"), ("body", "Ready 🎉")])
        #expect(unicode.contains("UCS-2 · 8 characters · 1 segment"), "\(unicode)")
        let broken = try await preview([("channel", "sms"), ("body", "Hi {{first_name")])
        #expect(broken.contains("class=\"error\""), "\(broken)")
        let email = try await preview([("channel", "email"), ("subject", "For {{first_name}}"), ("html", "<p>Hello <b>{{name}}</b></p>")])
        #expect(email.contains("For Ada") && email.contains("Hello Ada Lovelace") && !email.contains("<b>"), "\(email)")

        let template = try await api.call("POST", "/api/v1/templates", json: ["name": "Reminder", "body": "See you soon, {{first_name}} <3"], token: s.token)
        let fromTemplate = try await preview([("channel", "sms"), ("template_id", try #require(template.string("id")))])
        #expect(fromTemplate.contains("See you soon, Ada &lt;3"), "the template renders, escaped: \(fromTemplate)")
        #expect(try await s.get("/console/campaigns/new").body.contains(">Reminder</option>"))
    }

    @Test func aCampaignSentFromTheFormRunsToFinished() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await Self.signedIn(api)
        for (name, phone) in [("Ada", "+14155550111"), ("Alan", "+14155550112"), ("<b>Bold</b>", "+14155550113")] {
            #expect(try await api.call("POST", "/api/v1/contacts", json: ["name": .string(name), "phone": .string(phone)], token: s.token).status == 201)
        }
        let fields = [("channel", "sms"), ("audience", "all"), ("body", "Doors open at 7, {{name}}"), ("throttle_per_second", "50")]

        // Refused: without the token, and without a name (what was typed stays).
        #expect(try await s.post("/console/campaigns", fields + [("name", "Opening"), ("do", "send")], csrf: false).status == 403)
        let unnamed = try await s.post("/console/campaigns", fields + [("do", "send")])
        #expect(unnamed.status == 422 && unnamed.body.contains("name") && unnamed.body.contains("Doors open at 7, {{name}}"), "\(unnamed.body)")
        let tooFast = try await s.post("/console/campaigns", fields.dropLast() + [("name", "Opening"), ("throttle_per_second", "fast")])
        #expect(tooFast.status == 422 && tooFast.body.contains("throttle_per_second"), "\(tooFast.body)")
        #expect(try await api.call("GET", "/api/v1/campaigns", token: s.token).data.isEmpty)

        let sent = try await s.post("/console/campaigns", fields + [("name", "Opening night"), ("do", "send")])
        #expect(sent.status == 303, "\(sent.body)")
        let path = try #require(sent.headers["location"]?.split(separator: "?").first.map(String.init))
        #expect(path.hasPrefix("/console/campaigns/cmp_"))
        #expect(try await Poll.until { try await s.get(path + "?part=progress").body.contains("Finished: 3 of 3 done.") })
        let page = try await s.get(path)
        #expect(page.body.contains("<h1>Opening night</h1>") && page.body.contains("data-live-part=\"progress\"") && page.body.contains("data-live-key=\"campaign_id\""))
        #expect(page.body.contains("<dd data-count=\"sent\">3</dd>") && page.body.contains(">Delete</button>") && !page.body.contains(">Pause</button>"))
        let list = try await s.get("/console/campaigns?part=campaigns")
        #expect(list.body.contains("Opening night") && list.body.contains("state-finished") && !list.body.contains("<h1>"), "\(list.body)")
        let messages = try await api.call("GET", "/api/v1/messages", token: s.token)
        let texts: [String] = messages.data.compactMap { $0["sent_text"]?.stringValue }
        #expect(texts.contains("Doors open at 7, <b>Bold</b>"), "\(texts)")

        let deleted = try await s.post(path + "/delete", [])
        #expect(deleted.status == 303 && deleted.headers["location"] == "/console/campaigns")
        #expect(try await s.get("/console/campaigns").body.contains("No campaigns yet"))
    }

    @Test func aScheduledCampaignsActionsFollowItsState() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await Self.signedIn(api)
        #expect(try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550111"], token: s.token).status == 201)
        let group = try await api.call("POST", "/api/v1/groups", json: ["name": "Regulars"], token: s.token)
        let groupID = try #require(group.string("id"))
        #expect(try await s.get("/console/campaigns/new").body.contains("value=\"group:\(groupID)\""))

        let base = [("name", "Next week"), ("channel", "sms"), ("audience", "group:" + groupID), ("body", "See you next week")]
        let noTime = try await s.post("/console/campaigns", base + [("do", "schedule")])
        #expect(noTime.status == 422 && noTime.body.contains("send_at") && noTime.body.contains("See you next week"), "\(noTime.body)")
        let scheduled = try await s.post("/console/campaigns", base + [("send_at", "2099-01-01T09:00:00"), ("time_zone", "Europe/Paris"), ("do", "schedule")])
        #expect(scheduled.status == 422 && scheduled.body.contains("a year ahead"), "\(scheduled.body)")
        let when = Timestamp.at(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000).prefix(19)
        let later = try await s.post("/console/campaigns", base + [("send_at", String(when)), ("time_zone", "UTC"), ("do", "schedule")])
        let path = try #require(later.headers["location"]?.split(separator: "?").first.map(String.init), "\(later.body)")
        #expect(later.headers["location"] == path + "?done=schedule")
        #expect(try await api.call("GET", "/api/v1/campaigns", token: s.token).data.count == 1, "the refused forms made no campaign")
        let page = try await s.get(path)
        #expect(page.body.contains("Scheduled for") && page.body.contains("members of Regulars") && page.body.contains(">Back to draft</button>"), "\(page.body)")
        let back = try await s.post(path + "/unschedule", [])
        #expect(back.headers["location"] == path + "?done=unschedule")
        let draft = try await s.get(path + "?done=unschedule")
        #expect(draft.body.contains("Back to draft.") && draft.body.contains("Draft: not scheduled."))
        let spoofed = try await s.get(path + "?done=%3Cscript%3E")
        #expect(spoofed.body.contains("Draft: not scheduled.") && !spoofed.body.contains("&lt;script"), "the notice is only ever one of the page's own")
        let pause = try await s.post(path + "/pause", [])
        #expect(pause.status == 409 && pause.body.contains("draft"), "a draft cannot pause: \(pause.body)")
        #expect(try await s.post(path + "/explode", []).status == 404)
    }

    @Test func aMessageIsComposedForAContactOrAGroup() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await Self.signedIn(api)
        let ada = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada", "phone": "+14155550111"], token: s.token).string("id"))
        let alan = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Alan", "phone": "+14155550112"], token: s.token).string("id"))
        let group = try #require(try await api.call("POST", "/api/v1/groups", json: ["name": "Regulars"], token: s.token).string("id"))
        #expect(try await api.call("POST", "/api/v1/contacts/bulk", json: ["action": "add_to_group", "group_id": .string(group), "contact_ids": [.string(ada), .string(alan)]],
                                   token: s.token).status == 200)
        #expect(try await s.get("/console/contacts/\(ada)").body.contains("href=\"/console/messages/new?to=contact:\(ada)\""))
        let page = try await s.get("/console/messages/new?to=contact:\(ada)")
        #expect(page.body.contains("value=\"contact:\(ada)\" selected") && page.body.contains("value=\"group:\(group)\"") && page.body.contains("id=\"compose-preview\""))

        #expect(try await s.post("/console/messages/new", [("body", "Hello")]).status == 422)
        let broken = try await s.post("/console/messages/new", [("to", "contact:\(ada)"), ("body", "Hi {{first_name")])
        #expect(broken.status == 422 && broken.body.contains("Hi {{first_name") && broken.body.contains("value=\"contact:\(ada)\" selected"), "\(broken.body)")
        let now = try await s.post("/console/messages/new", [("to", "contact:\(ada)"), ("body", "Your table is ready, {{first_name}}")])
        #expect(now.headers["location"] == "/console/messages?scheduled=1&skipped=0", "\(now.body)")
        #expect(try await s.get("/console/messages?scheduled=1&skipped=0").body.contains("1 message scheduled."))
        let later = try await s.post("/console/messages/new", [("to", "group:\(group)"), ("body", "See you Friday"), ("send_at", "2099-01-01T09:00:00"),
                                                                 ("time_zone", "Europe/Paris")])
        #expect(later.status == 422 && later.body.contains("a year ahead"), "\(later.body)")
        let when = String(Timestamp.at(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000).prefix(19))
        let grouped = try await s.post("/console/messages/new", [("to", "group:\(group)"), ("body", "See you Friday"), ("send_at", when), ("time_zone", "Europe/Paris")])
        #expect(grouped.headers["location"] == "/console/messages?scheduled=2&skipped=0", "\(grouped.body)")
        #expect(try await s.post("/console/messages/new", [("to", "group:\(group)"), ("body", "x")], csrf: false).status == 403)
        let sent = try await api.call("GET", "/api/v1/messages", token: s.token).data
        #expect(sent.count == 3 && sent.contains { $0["body"] == "Your table is ready, {{first_name}}" || $0["sent_text"] == "Your table is ready, Ada" }, "\(sent)")
    }
}
