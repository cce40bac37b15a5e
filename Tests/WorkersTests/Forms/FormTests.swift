import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Forms through the API (versions, bad definitions named) and through the form-embed worker: the page,
/// submissions that make or update contacts, spam dropped silently, tokens spent once, origins checked.
@Suite struct FormTests {
    @Test func createChangeVersionsAndDelete() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let made = try await f.api.call("POST", "/api/v1/forms", json: FormFixture.signUp(), token: f.token)
        #expect(made.status == 201, "\(made.body)")
        let id = try #require(made.string("id")), key = try #require(made.string("public_key"))
        #expect(key.hasPrefix("fpk_") && made["version"] == 1 && made["enabled"] == true)
        #expect(made.string("snippet")?.contains("data-ozzi-form=\"\(key)\"") == true && made.string("snippet")?.contains("/forms/loader.js?key=\(key)") == true)
        #expect(made["settings"]?["allowed_origins"] == ["https://shop.example"] && made["settings"]?["spam"]?["honeypot"] == true)
        #expect(made["fields"]?.arrayValue?[4]["options"] == [["value": "free", "label": "free"], ["value": "gold", "label": "Gold"]])

        // A name changes in place; fields make a new version, and the old one stays readable.
        let renamed = try await f.api.call("PATCH", "/api/v1/forms/\(id)", json: ["name": "Join us"], token: f.token)
        #expect(renamed.string("name") == "Join us" && renamed["version"] == 1)
        let changed = try await f.api.call("PATCH", "/api/v1/forms/\(id)", json: [
            "fields": [["key": "email", "type": "email", "label": "Work email", "required": true, "maps_to": "email"]],
            "settings": ["theme": ["color": "#AA0000", "radius": 2]],
        ], token: f.token)
        #expect(changed.status == 200, "\(changed.body)")
        #expect(changed["version"] == 2 && changed["fields"]?.arrayValue?.count == 1 && changed["settings"]?["theme"]?["color"] == "#aa0000")
        #expect(changed["settings"]?["success_message"] == "Welcome aboard!", "settings merge: what a change does not name stays")
        let versions = try await f.api.call("GET", "/api/v1/forms/\(id)/versions", token: f.token)
        #expect(versions.data.map { $0["version"] } == [2, 1])
        let first = try await f.api.call("GET", "/api/v1/forms/\(id)/versions/1", token: f.token)
        #expect(first["fields"]?.arrayValue?.count == 7 && first["version"] == 1)
        #expect(try await f.api.call("GET", "/api/v1/forms/\(id)/versions/9", token: f.token).status == 404)

        #expect(try await f.api.call("GET", "/api/v1/forms", token: f.token).data.count == 1)
        #expect(try await f.api.call("DELETE", "/api/v1/forms/\(id)", token: f.token).status == 204)
        #expect(try await f.api.call("GET", "/api/v1/forms/\(id)", token: f.token).status == 404)
        #expect(try await f.api.call("GET", "/forms/embed?key=\(key)").status == 404)
    }

    @Test(arguments: [
        (["type": "text", "label": "A", "key": "a", "options": ["x"]] as JSONValue, "fields[0].options"),
        (["type": "select", "label": "A", "key": "a"] as JSONValue, "fields[0].options"),
        (["type": "essay", "label": "A", "key": "a"] as JSONValue, "fields[0].type"),
        (["type": "text", "label": "A", "key": "A b"] as JSONValue, "fields[0].key"),
        (["type": "text", "key": "a"] as JSONValue, "fields[0].label"),
        (["type": "text", "label": "A", "key": "a", "maps_to": "email"] as JSONValue, "fields[0].maps_to"),
        (["type": "number", "label": "A", "key": "a", "min": 5, "max": 1] as JSONValue, "fields[0].max"),
        (["type": "text", "label": "A", "key": "a", "pattern": "(unclosed"] as JSONValue, "fields[0].pattern"),
        (["type": "consent", "label": "A", "key": "a", "channel": "fax"] as JSONValue, "fields[0].channel"),
        (["type": "date", "label": "A", "key": "a", "min": "2026-02-30"] as JSONValue, "fields[0].min"),
    ])
    func badFieldsAreNamed(field: JSONValue, named: String) async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let made = try await f.api.call("POST", "/api/v1/forms", json: ["name": "x", "fields": [field], "settings": ["allowed_origins": ["https://a.example"]]],
                                        token: f.token)
        #expect(made.status == 422, "\(made.body)")
        #expect(made.string("error", "details", "field") == named, "\(made.body)")
    }

    @Test func badSettingsAndWorkflowsAreNamed() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let field: JSONValue = ["key": "email", "type": "email", "label": "Email"]
        for (body, named) in [
            (["name": "x", "fields": [field, field], "settings": ["allowed_origins": ["https://a.example"]]] as JSONValue, "fields[1].key"),
            (["name": "x", "fields": [field], "settings": ["allowed_origins": ["ftp://a.example"]]] as JSONValue, "settings.allowed_origins[0]"),
            (["name": "x", "fields": [field], "settings": ["allowed_origins": ["https://a.example"], "theme": ["custom_css": "body{background:url(https://x)}"]]] as JSONValue,
             "settings.theme.custom_css"),
            (["name": "x", "fields": [field], "settings": ["allowed_origins": ["https://a.example"], "redirect_url": "javascript:alert(1)"]] as JSONValue,
             "settings.redirect_url"),
            (["name": "x", "fields": [field], "settings": ["allowed_origins": ["https://a.example"]],
              "workflow": [["type": "add_to_group", "group_id": "grp_1", "when": ["field": "nope", "equals": "x"]]]] as JSONValue, "workflow[0].when.field"),
            (["name": "x", "fields": [field], "settings": ["allowed_origins": ["https://a.example"]],
              "workflow": [["type": "notify", "user_ids": []]]] as JSONValue, "workflow[0].user_ids"),
        ] {
            let made = try await f.api.call("POST", "/api/v1/forms", json: body, token: f.token)
            #expect(made.status == 422 && made.string("error", "details", "field") == named, "\(named): \(made.body)")
        }
    }

    @Test func thePageIsFramedOnlyByTheFormsOriginsAndRunsOnlyItsOwnScript() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let (_, key) = try await f.form()
        let (page, token) = try await f.show(key, query: "&page=https%3A%2F%2Fshop.example%2Fjoin&utm_source=news&source=%3Cb%3Ead&evil=1")
        let policy = try #require(page.headers["content-security-policy"])
        let nonce = try #require(policy.firstRange(of: "'nonce-").map { String(policy[$0.upperBound...].prefix { $0 != "'" }) })
        #expect(policy.contains("script-src 'nonce-\(nonce)'") && policy.contains("style-src 'nonce-\(nonce)'") && policy.hasSuffix("frame-ancestors https://shop.example"))
        #expect(page.body.components(separatedBy: "nonce=\"\(nonce)\"").count == 4, "the style and both scripts carry the nonce")
        #expect(token.hasPrefix("fst_"))
        // The hidden field takes the page's value, escaped; nothing else of the query reaches the page.
        #expect(page.body.contains("name=\"source\" value=\"&lt;b&gt;ad\"") && !page.body.contains("evil"))
        #expect(page.body.contains("<label for=\"f-email\">Email<span class=\"req\" aria-hidden=\"true\"> *</span></label>"))
        #expect(page.body.contains("aria-describedby=\"f-email-error\" aria-required=\"true\""))
        // Each showing is a new token and a new nonce, and counts as a view.
        let (again, token2) = try await f.show(key)
        #expect(token2 != token && again.headers["content-security-policy"] != policy)

        let loader = try await f.api.call("GET", "/forms/loader.js?key=\(key)")
        #expect(loader.status == 200 && loader.body.contains("\"origins\":[\"https://shop.example\"]") && loader.headers["etag"] != nil)
        #expect(try await f.api.call("GET", "/forms/loader.js?key=fpk_unknown").status == 404)
        let unknown = try await f.api.call("GET", "/forms/embed?key=fpk_nothing")
        #expect(unknown.status == 404 && unknown.headers["content-security-policy"]?.hasSuffix("frame-ancestors 'none'") == true)
    }

    @Test func aSubmissionMakesAContactWithConsentAndAnUpdateKeepsWhatWasLeftEmpty() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let (id, key) = try await f.form()

        // Refused answers name their fields in the words the page uses.
        let (_, token) = try await f.show(key)
        let refused = try await f.submit(key, token: token, ["email": "not-an-address", "plan": "platinum", "first": .string(String(repeating: "x", count: 41))])
        #expect(refused.status == 422, "\(refused.body)")
        #expect(refused["error"]?["details"]?["fields"] == (["email": "Enter a valid email address", "plan": "Choose one of the options",
                                                           "first": "Use at most 40 characters"] as JSONValue))

        let sent = try await f.submit(key, token: token, ["email": " Ada@Example.com ", "first": "Ada", "last": "Lovelace", "phone": "(415) 555-0100",
                                                          "plan": "gold", "texts": true])
        #expect(sent.status == 201 && sent["message"] == "Welcome aboard!", "\(sent.body)")
        let stored = try await f.submissions(id)
        #expect(stored.count == 1)
        let submission = try #require(stored.first)
        #expect(submission["answers"] == ["email": "ada@example.com", "first": "Ada", "last": "Lovelace", "phone": "+14155550100", "plan": "gold",
                                          "texts": true, "source": "site"])
        #expect(submission["utm"] == ["utm_source": "news"] && submission["referrer"] == "https://shop.example/join" && submission["version"] == 1)
        #expect(submission["consents"]?.arrayValue?.first?["wording"] == "Text me offers. Reply STOP to stop.")
        let contactID = try #require(submission["contact_id"]?.stringValue)
        let contact = try await f.api.call("GET", "/api/v1/contacts/\(contactID)", token: f.token)
        #expect(contact.string("name") == "Ada Lovelace" && contact.string("email") == "ada@example.com" && contact.string("phone") == "+14155550100")
        #expect(contact.string("source") == "form" && contact["custom_fields"] == ["plan": "gold"])
        #expect(contact.string("sms_consent", "status") == "opted_in" && contact.string("sms_consent", "method") == "form \(id) v1")

        // The same token again: the same answer, nothing new.
        let again = try await f.submit(key, token: token, ["email": "ada@example.com"])
        #expect(again.status == 201 && again["message"] == "Welcome aboard!")
        #expect(try await f.submissions(id).count == 1)

        // A later submission by the same address updates the contact, but only with what was answered.
        let (_, second) = try await f.show(key)
        #expect(try await f.submit(key, token: second, ["email": "ada@example.com", "first": "Augusta", "last": "  ", "plan": "free"]).status == 201)
        let updated = try await f.api.call("GET", "/api/v1/contacts/\(contactID)", token: f.token)
        #expect(updated.string("first_name") == "Augusta" && updated.string("last_name") == "Lovelace" && updated.string("name") == "Augusta Lovelace")
        #expect(updated["custom_fields"] == ["plan": "free"] && updated.string("phone") == "+14155550100")
        #expect(try await f.api.call("GET", "/api/v1/contacts?limit=100", token: f.token).data.count == 1)

        let stats = try await f.api.call("GET", "/api/v1/forms/\(id)/stats", token: f.token)
        #expect(stats["totals"]?["views"] == 2 && stats["totals"]?["submissions"] == 2 && stats["totals"]?["conversion"] == 1)

        let csv = try await f.api.call("GET", "/api/v1/forms/\(id)/submissions.csv", token: f.token)
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let lines = csv.body.split(separator: "\r\n")
        #expect(lines.first == "id,created_at,version,contact_id,referrer,email,first,last,phone,plan,texts,source" && lines.count == 3)
    }

    @Test func spamGetsTheSameAnswerAndCreatesNothing() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let f = try await FormFixture.start(clock: clock)
        defer { Task { await f.api.stop() } }
        let (id, key) = try await f.form(FormFixture.signUp(["settings": ["allowed_origins": ["https://shop.example"], "spam": ["min_fill_seconds": 5]]]))
        let answers: [String: JSONValue] = ["email": "bot@example.com"]

        // Sent a moment after the form was shown: dropped, answered as a success.
        let (_, fast) = try await f.show(key)
        clock.advance(byMilliseconds: 1_000)
        let tooFast = try await f.submit(key, token: fast, answers)
        #expect(tooFast.status == 201 && tooFast["message"] == "Thank you! Your answers were sent.", "\(tooFast.body)")
        // The honeypot filled, however long it took: the same.
        let (_, slow) = try await f.show(key)
        clock.advance(byMilliseconds: 10_000)
        let filled = try await f.submit(key, token: slow, answers, honeypot: "http://spam.example")
        #expect(filled.status == 201 && filled.body == tooFast.body)
        #expect(try await f.submissions(id).isEmpty)
        #expect(try await f.api.call("GET", "/api/v1/contacts", token: f.token).data.isEmpty)
        let stats = try await f.api.call("GET", "/api/v1/forms/\(id)/stats", token: f.token)
        #expect(stats["totals"]?["spam"] == 2 && stats["totals"]?["submissions"] == 0)

        // A token that is not the form's, or is too old, is named.
        let forged = try await f.submit(key, token: "fst_1800000000000.AAAA.BBBB", answers)
        #expect(forged.status == 422 && forged.string("error", "code") == "invalid_token")

        // A person, taking their time: stored. Then the address's hourly limit (5) holds.
        for _ in 0..<5 {
            let (_, token) = try await f.show(key)
            clock.advance(byMilliseconds: 6_000)
            #expect(try await f.submit(key, token: token, answers).status == 201)
        }
        let (_, sixth) = try await f.show(key)
        clock.advance(byMilliseconds: 6_000)
        let limited = try await f.submit(key, token: sixth, answers)
        #expect(limited.status == 429 && limited.headers["retry-after"] != nil, "\(limited.body)")
        let kept = try await f.submissions(id)
        #expect(kept.count == 5, "\(kept)")

        // A form left open for more than a day is refused by name (the page says to reload).
        let (_, old) = try await f.show(key)
        clock.advance(byMilliseconds: 25 * 3_600_000)
        #expect(try await f.submit(key, token: old, answers).string("error", "code") == "expired_token")
    }

    @Test func submissionsComeOnlyFromTheFormsPageOrItsOrigins() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let (id, key) = try await f.form()
        let answers: [String: JSONValue] = ["email": "ada@example.com"]
        var (_, token) = try await f.show(key)
        #expect(try await f.submit(key, token: token, answers, origin: nil).status == 403)
        #expect(try await f.submit(key, token: token, answers, origin: "https://evil.example").status == 403)
        #expect(try await f.submit(key, token: token, answers, headers: ["Sec-Fetch-Site": "cross-site"]).status == 403,
                "a cross-site request claiming the form's own origin")
        #expect(try await f.submit(key, token: token, answers, origin: "https://shop.example", headers: ["Sec-Fetch-Site": "cross-site"]).status == 201)
        (_, token) = try await f.show(key)
        let huge = try await f.submit(key, token: token, ["email": .string(String(repeating: "a", count: 70_000) + "@example.com")])
        #expect(huge.status == 413)
        #expect(try await f.submissions(id).count == 1)

        // Without script, the page posts its fields and gets a page back.
        (_, token) = try await f.show(key)
        let plain = try await f.api.call("POST", "/forms/submit", raw: "_key=\(key)&_token=\(token)&_page=https%3A%2F%2Fshop.example%2F&email=grace%40example.com&texts=on",
                                         headers: ["Origin": FormFixture.own, "Content-Type": "application/x-www-form-urlencoded"])
        #expect(plain.status == 201 && plain.body.contains("Welcome aboard!") && plain.headers["content-type"]?.hasPrefix("text/html") == true)
        (_, token) = try await f.show(key)
        let wrong = try await f.api.call("POST", "/forms/submit", raw: "_key=\(key)&_token=\(token)&email=nope",
                                         headers: ["Origin": FormFixture.own, "Content-Type": "application/x-www-form-urlencoded"])
        #expect(wrong.status == 422 && wrong.body.contains("email: Enter a valid email address"))
    }

    @Test func theWorkflowRunsEachActionOnceAndAFailedOneCanBeRunAgain() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let group = try #require(try await f.api.call("POST", "/api/v1/groups", json: ["name": "Gold"], token: f.token).string("id"))
        let template = try #require(try await f.api.call("POST", "/api/v1/templates", json: ["name": "Welcome", "body": "Welcome {{first_name|friend}}!"],
                                                         token: f.token).string("id"))
        let (id, key) = try await f.form(FormFixture.signUp(["workflow": [
            ["type": "add_to_group", "group_id": .string(group), "when": ["field": "plan", "equals": "gold"]],
            ["type": "send_sms", "template_id": .string(template)],
            ["type": "send_sms", "template_id": .string(template), "delay_minutes": 60, "when": ["field": "texts", "is_set": true]],
            ["type": "add_to_group", "group_id": "grp_gone"],
        ]]))
        let (_, token) = try await f.show(key)
        #expect(try await f.submit(key, token: token, ["email": "ada@example.com", "first": "Ada", "phone": "+14155550100", "plan": "gold"]).status == 201)
        let submissionID = try #require(try await f.submissions(id).first?["id"]?.stringValue)
        let settled = try await f.settled(id, submissionID)
        let actions = try #require(settled["actions"]?.arrayValue)
        #expect(actions.map { $0["status"] } == ["done", "done", "skipped", "failed"], "\(settled.body)")
        #expect(actions[3]["error"] == "group grp_gone not found")
        let contactID = try #require(settled["contact_id"]?.stringValue)
        #expect(try await f.api.call("GET", "/api/v1/groups/\(group)/members", token: f.token).data.map { $0["id"] } == [.string(contactID)])
        let messages = try await f.api.call("GET", "/api/v1/messages?contact_id=\(contactID)", token: f.token).data
        #expect(messages.count == 1 && messages.first?["template_id"] == .string(template), "\(messages)")

        // Only a failed action runs again; it fails again while its group does not exist.
        #expect(try await f.api.call("POST", "/api/v1/forms/\(id)/submissions/\(submissionID)/actions/0/rerun", token: f.token).status == 409)
        let rerun = try await f.api.call("POST", "/api/v1/forms/\(id)/submissions/\(submissionID)/actions/3/rerun", token: f.token)
        #expect(rerun.status == 202, "\(rerun.body)")
        let again = try await f.settled(id, submissionID)
        #expect(again["actions"]?.arrayValue?[3]["status"] == "failed" && again["actions"]?.arrayValue?[3]["attempts"] == 1)
        #expect(try await f.api.call("GET", "/api/v1/messages?contact_id=\(contactID)", token: f.token).data.count == 1, "the send did not run twice")
    }

    /// Submissions that arrive together share transactions (a group commit): each is still stored once, with
    /// its own contact, and each workflow runs; a token sent twice at once creates one; two visitors giving
    /// one address at once make one contact.
    @Test func submissionsArrivingTogetherAreEachStoredOnceAndEachRunsItsWorkflow() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let group = try #require(try await f.api.call("POST", "/api/v1/groups", json: ["name": "All"], token: f.token).string("id"))
        let (id, key) = try await f.form(FormFixture.signUp([
            "workflow": [["type": "add_to_group", "group_id": .string(group)]],
            "settings": ["allowed_origins": ["https://shop.example"], "spam": ["min_fill_seconds": 0, "per_network_per_minute": 1_000]],  // one network here
        ]))
        var tokens: [String] = []
        for _ in 0..<41 { tokens.append(try await f.show(key).token) }
        // 40 visitors with their own tokens, the 39th and 40th giving one address; the 40th's token sent twice.
        let sends = (0..<40).map { n in (tokens[n], n == 39 ? "shared@example.com" : n == 38 ? "shared@example.com" : "v\(n)@example.com") }
            + [(tokens[39], "shared@example.com")]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (token, email) in sends { group.addTask { try await f.submit(key, token: token, ["email": .string(email), "texts": true]).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 41 && statuses.allSatisfy { $0 == 201 }, "a repeated token gets the same answer: \(statuses)")
        let stored = try await f.api.call("GET", "/api/v1/forms/\(id)/submissions?limit=100", token: f.token).data
        #expect(stored.count == 40, "one per token")
        let contacts = try await f.api.call("GET", "/api/v1/contacts?limit=100", token: f.token).data
        #expect(contacts.count == 39 && Set(contacts.compactMap { $0["email"]?.stringValue }).count == 39, "one contact per address")
        #expect(contacts.allSatisfy { $0["sms_consent"]?["status"] != "opted_in" }, "no phone was given, so no SMS consent")
        var added = 0
        for submission in stored {
            let settled = try await f.settled(id, try #require(submission["id"]?.stringValue))
            #expect(settled["actions"]?.arrayValue?.map { $0["status"] } == ["done"], "\(settled.body)")
            if settled["actions"]?.arrayValue?.first?["result"]?["added"] == true { added += 1 }
        }
        #expect(added == 39, "the shared address's two runs (in one batch or not): one added it, the other found it a member")
        let members = try await f.api.call("GET", "/api/v1/groups/\(group)/members?limit=100", token: f.token).data
        #expect(members.count == 39)
        let stats = try await f.api.call("GET", "/api/v1/forms/\(id)/stats", token: f.token)
        #expect(stats["totals"]?["submissions"] == 40 && stats["totals"]?["views"] == 41, "\(stats.body)")
    }

    /// A submission named twice in one batch of workflow messages (its workflow started again while a
    /// message for it waited) runs its actions once.
    @Test func aWorkflowStartedTwiceAtOnceRunsOnce() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let group = try #require(try await f.api.call("POST", "/api/v1/groups", json: ["name": "Once"], token: f.token).string("id"))
        let (id, key) = try await f.form(FormFixture.signUp(["workflow": [["type": "add_to_group", "group_id": .string(group)]]]))
        #expect(try await f.submit(key, token: try await f.show(key).token, ["email": "twice@example.com"]).status == 201)
        let submissionID = try #require(try await f.submissions(id).first?["id"]?.stringValue)
        let first = try await f.settled(id, submissionID)
        #expect(first["actions"]?.arrayValue?.first?["result"]?["added"] == true, "\(first.body)")

        // The member gone and the run pending again, then two starts of its workflow in one message.
        let database = try await f.api.database("api")
        try await database.prepare("DELETE FROM group_members WHERE group_id = ?").bind(group).run()
        try await database.prepare("UPDATE form_action_runs SET status = 'pending', result = NULL WHERE submission_id = ?").bind(submissionID).run()
        let worker = try #require(f.api.host.workers["api"] as? APIWorker)
        let forms = try #require(worker.domains.lazy.compactMap { $0 as? FormsDomain }.first)
        try await forms.workflow.start([submissionID, submissionID])
        let again = try await f.settled(id, submissionID)
        let run = try #require(again["actions"]?.arrayValue?.first)
        #expect(run["status"] == "done" && run["attempts"] == 2 && run["result"]?["added"] == true, "\(again.body)")
        #expect(try await f.api.call("GET", "/api/v1/groups/\(group)/members", token: f.token).data.count == 1)
    }

    /// While one delivery of a workflow runs an action, another delivery of it does not run what follows:
    /// actions run in order.
    @Test func whatFollowsARunUnderWayWaitsForIt() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        var groups: [String] = []
        for name in ["First", "Second"] {
            groups.append(try #require(try await f.api.call("POST", "/api/v1/groups", json: ["name": .string(name)], token: f.token).string("id")))
        }
        let (id, key) = try await f.form(FormFixture.signUp(["workflow": .array(groups.map { ["type": "add_to_group", "group_id": .string($0)] })]))
        #expect(try await f.submit(key, token: try await f.show(key).token, ["email": "order@example.com"]).status == 201)
        let submissionID = try #require(try await f.submissions(id).first?["id"]?.stringValue)
        _ = try await f.settled(id, submissionID)

        // The first action under way elsewhere, the second pending again.
        let database = try await f.api.database("api")
        try await database.prepare("DELETE FROM group_members").run()
        try await database.prepare("UPDATE form_action_runs SET status = CASE position WHEN 0 THEN 'running' ELSE 'pending' END WHERE submission_id = ?")
            .bind(submissionID).run()
        let worker = try #require(f.api.host.workers["api"] as? APIWorker)
        let forms = try #require(worker.domains.lazy.compactMap { $0 as? FormsDomain }.first)
        #expect(try await forms.submissions.pending(submissionIDs: [submissionID]).isEmpty, "a batch leaves it to the delivery running it")
        #expect(try await forms.workflow.runPending(submissionID) == nil)
        func statuses() async throws -> [String] {
            try await forms.submissions.runs(submissionID: submissionID).map(\.status)
        }
        #expect(try await statuses() == ["running", "pending"])
        #expect(try await f.api.call("GET", "/api/v1/groups/\(groups[1])/members", token: f.token).data.isEmpty)

        // Once it ended, what follows runs.
        try await database.prepare("UPDATE form_action_runs SET status = 'done' WHERE submission_id = ? AND position = 0").bind(submissionID).run()
        #expect(try await forms.submissions.pending(submissionIDs: [submissionID])[submissionID]?.runs.map(\.position) == [1])
        #expect(try await forms.workflow.runPending(submissionID) == nil)
        #expect(try await statuses() == ["done", "done"])
        #expect(try await f.api.call("GET", "/api/v1/groups/\(groups[1])/members", token: f.token).data.count == 1)
    }

    @Test func theWorkflowEnrollsEmailsLaterAndNotifiesTheTeam() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        #expect(try await f.api.call("PUT", "/api/v1/email/settings", json: ["provider": "simulated", "default_from": "Acme <help@sandbox.ozzi.test>"],
                                     token: f.token).status == 200)
        let me = try #require(try await f.api.call("GET", "/api/v1/me", token: f.token).string("user", "id"))
        let worker = try #require(f.api.host.workers["api"] as? APIWorker)
        #expect(try await worker.grantPlatformAdmin(email: "owner@example.com"))
        let book = try #require(try await f.api.call("POST", "/api/v1/admin/books", json: ["title": "Psalms", "published": true], token: f.token).string("id"))
        let lesson = try #require(try await f.api.call("POST", "/api/v1/admin/books/\(book)/lessons", json: ["title": "One"], token: f.token).string("id"))
        #expect(try await f.api.call("POST", "/api/v1/admin/books/\(book)/lessons/\(lesson)/messages", json: [
            "type": "reminder", "body": "Welcome {{first_name}}", "day_offset": 1, "send_time": "09:00",
        ], token: f.token).status == 201)
        let template = try #require(try await f.api.call("POST", "/api/v1/templates", json: [
            "name": "Thanks", "channel": "email", "subject": "Thanks {{first_name|friend}}", "html": "<p>We got your answers.</p>",
        ], token: f.token).string("id"))
        let (id, key) = try await f.form(FormFixture.signUp(["workflow": [
            ["type": "enroll_study_book", "book_id": .string(book), "time_zone": "America/New_York"],
            ["type": "send_email", "template_id": .string(template), "delay_minutes": 30],
            ["type": "notify", "user_ids": [.string(me)]],
        ]]))
        let (_, token) = try await f.show(key)
        #expect(try await f.api.call("POST", "/forms/start", json: ["key": .string(key), "token": .string(token)], headers: ["Origin": FormFixture.own]).status == 204)
        let before = Timestamp.at(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 29 * 60_000)
        #expect(try await f.submit(key, token: token, ["email": "ada@example.com", "first": "Ada", "phone": "+14155550100"]).status == 201)
        let submissionID = try #require(try await f.submissions(id).first?["id"]?.stringValue)
        let settled = try await f.settled(id, submissionID)
        let actions = try #require(settled["actions"]?.arrayValue)
        #expect(actions.map { $0["status"] } == ["done", "done", "done"], "\(settled.body)")
        let contactID = try #require(settled["contact_id"]?.stringValue)

        let participants = try await f.api.call("GET", "/api/v1/books/\(book)/participants", token: f.token).data
        #expect(participants.count == 1 && participants.first?["contact_id"] == .string(contactID) && participants.first?["time_zone"] == "America/New_York",
                "\(participants)")
        let emailID = try #require(actions[1]["result"]?["message_id"]?.stringValue)
        let email = try await f.api.call("GET", "/api/v1/emails/\(emailID)", token: f.token)
        #expect(email.string("to") == "ada@example.com" && (email.string("scheduled_at") ?? "") > before, "thirty minutes later: \(email.body)")
        let notices = try #require(actions[2]["result"]?["message_ids"]?.arrayValue)
        #expect(notices.count == 1)
        let notice = try await f.api.call("GET", "/api/v1/emails/\(notices.first?.stringValue ?? "")", token: f.token)
        #expect(notice.string("to") == "owner@example.com", "\(notice.body)")

        let stats = try await f.api.call("GET", "/api/v1/forms/\(id)/stats", token: f.token)
        #expect(stats["totals"]?["views"] == 1 && stats["totals"]?["starts"] == 1 && stats["totals"]?["submissions"] == 1, "\(stats.body)")
    }

    /// Nobody proves on a form that an address is theirs: a submission never adds an address to an existing
    /// contact, never opts back in what was opted out, and what it brings is kept from the export's formulas.
    @Test func aFormCannotTakeOverAContactOrItsOptOut() async throws {
        let f = try await FormFixture.start()
        defer { Task { await f.api.stop() } }
        let victim = try #require(try await f.api.call("POST", "/api/v1/contacts", json: [
            "name": "Vic Tim", "phone": "+14155550199", "sms_consent": ["status": "opted_out", "method": "STOP"],
        ], token: f.token).string("id"))
        let (id, key) = try await f.form(FormFixture.signUp(["fields": [
            ["key": "email", "type": "email", "label": "Email", "maps_to": "email"],
            ["key": "phone", "type": "phone", "label": "Mobile", "maps_to": "phone"],
            ["key": "note", "type": "textarea", "label": "Note", "maps_to": "notes"],
            ["key": "texts", "type": "consent", "channel": "sms", "label": "Text me"],
        ]]))
        let (_, token) = try await f.show(key)
        let sent = try await f.submit(key, token: token, ["email": "attacker@example.com", "phone": "+14155550199", "texts": true,
                                                          "note": "x\r\n=HYPERLINK(\"http://evil.example\")"])
        #expect(sent.status == 201, "\(sent.body)")
        let contact = try await f.api.call("GET", "/api/v1/contacts/\(victim)", token: f.token)
        #expect(contact.string("email") == nil, "the attacker's address was not attached: \(contact.body)")
        #expect(contact.string("sms_consent", "status") == "opted_out", "a form does not undo a STOP")
        #expect(try await f.submissions(id).first?["contact_id"] == .string(victim))

        let csv = try await f.api.call("GET", "/api/v1/forms/\(id)/submissions.csv", token: f.token)
        #expect(csv.body.contains("\"x\r\n=HYPERLINK(\"\"http://evil.example\"\")\""), "a line break in a cell is quoted: \(csv.body)")
        let (_, second) = try await f.show(key)
        #expect(try await f.submit(key, token: second, ["email": "someone@example.com", "note": "=1+1"]).status == 201)
        let again = try await f.api.call("GET", "/api/v1/forms/\(id)/submissions.csv", token: f.token)
        #expect(again.body.contains(",'=1+1,"), "a formula is kept as text: \(again.body)")
    }
}
