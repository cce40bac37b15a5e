import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Every route the api worker registers, called with a second tenant's credentials against the first
/// tenant's objects: nothing of the first tenant is revealed or changed. Routes added later are walked
/// automatically, because the walk reads the router.
@Suite struct TenantIsolationTests {
    struct Tenant {
        var token: String
        let email: String
        let userID: String
    }

    func signIn(_ api: WorkerTestHost, _ email: String) async throws -> String {
        try #require(try await api.call("POST", "/api/v1/auth/login", json: ["email": .string(email), "password": "correct horse battery"])
            .string("access_token"))
    }

    /// What tenant A can see of its own data; compared before and after the walk.
    func snapshot(_ api: WorkerTestHost, _ a: Tenant, workspace: String) async throws -> [String] {
        var views: [String] = []
        for path in ["/api/v1/me", "/api/v1/workspaces", "/api/v1/api-keys", "/api/v1/workspaces/\(workspace)",
                     "/api/v1/workspaces/\(workspace)/members", "/api/v1/workspaces/\(workspace)/invitations", "/api/v1/auth/identities",
                     "/api/v1/contacts", "/api/v1/groups", "/api/v1/templates", "/api/v1/messages", "/api/v1/sms/settings",
                     "/api/v1/emails", "/api/v1/email/suppressions", "/api/v1/series", "/api/v1/email/settings", "/api/v1/campaigns",
                     "/api/v1/email/domains", "/api/v1/widgets", "/api/v1/conversations", "/api/v1/portal/settings", "/api/v1/portal/users",
                     "/api/v1/privacy/erasure-requests", "/api/v1/privacy/retention", "/api/v1/forms", "/api/v1/voice/numbers", "/api/v1/calls",
                     "/api/v1/calls/stats", "/api/v1/call-campaigns", "/api/v1/communities", "/api/v1/seo/businesses", "/api/v1/seo/trackers", "/api/v1/calendars",
                     "/api/v1/video/assets", "/api/v1/video/projects"] {
            let answer = try await api.call("GET", path, token: a.token, headers: path.contains(workspace) ? ["X-Workspace-Id": workspace] : [:])
            views.append("\(answer.status) \(answer.body)")
        }
        return views
    }

    @Test func aSecondTenantCanNeitherSeeNorChangeTheFirst() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        // Tenant A: an account, a second workspace, an API key, an invitation, a member.
        let signupA = try await api.signUp("tenant-a@example.com")
        var a = Tenant(token: try #require(signupA.string("access_token")), email: "tenant-a@example.com", userID: try #require(signupA.string("user", "id")))
        let workspaceA = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "A corp"], token: a.token).string("id"))
        let keyA = try await api.call("POST", "/api/v1/api-keys", json: ["name": "a key"], token: a.token)
        let invitationA = try await api.call("POST", "/api/v1/workspaces/\(workspaceA)/invitations", json: ["email": "friend@example.com"], token: a.token)
        let signupMember = try await api.signUp("a-member@example.com")
        let memberID = try #require(signupMember.string("user", "id"))
        let memberInvite = try await api.call("POST", "/api/v1/workspaces/\(workspaceA)/invitations", json: ["email": "a-member@example.com"], token: a.token)
        _ = try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(memberInvite.string("token") ?? "")],
                               token: signupMember.string("access_token"))
        // A's address book: a contact in a group, a template, an import.
        // Outside 555-0100..0199, where the simulated voice account's numbers are (B's may be any three of them).
        let contactA = try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada Secretperson", "phone": "+14155550042"], token: a.token)
        let groupA = try await api.call("POST", "/api/v1/groups", json: ["name": "Secret circle"], token: a.token)
        _ = try await api.call("POST", "/api/v1/groups/\(groupA.string("id") ?? "")/members",
                               json: ["contact_ids": [.string(contactA.string("id") ?? "")]], token: a.token)
        let templateA = try await api.call("POST", "/api/v1/templates", json: ["name": "Secret offer", "body": "Hi {{first_name}}"], token: a.token)
        let emailTemplateA = try await api.call("POST", "/api/v1/templates", json: ["name": "Secret letter", "channel": "email",
                                                                                    "subject": "Secret subject", "html": "<p>Secret html</p>"], token: a.token)
        // A message due in a month stays pending through the walk.
        let messageA = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(contactA.string("id") ?? ""), "body": "Secret reminder", "scheduled_at": .string(SQLDate.format(Date().addingTimeInterval(30 * 86_400))),
        ], token: a.token)
        let campaignA = try await api.call("POST", "/api/v1/campaigns", json: [
            "name": "Secret campaign", "channel": "sms", "audience": ["type": "groups", "group_ids": [.string(groupA.string("id") ?? "")]], "content": ["body": "Secret appeal"],
        ], token: a.token)
        // An email due in a month stays queued through the walk.
        let emailA = try await api.call("POST", "/api/v1/emails", json: [
            "to": "ada.secret@example.com", "from": "A corp <news@sandbox.ozzi.test>", "subject": "Secret subject", "text": "Secret text",
            "scheduled_at": .string(SQLDate.format(Date().addingTimeInterval(30 * 86_400))),
        ], token: a.token)
        _ = try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "smtp", "smtp_host": "relay.secret-a.example",
                                                                       "smtp_auth": ["username": "a-relay-user", "password": "a-relay-password"]], token: a.token)
        // A weekly series starting in a month stays active through the walk.
        let seriesA = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(contactA.string("id") ?? ""), "body": "Secret weekly", "time_zone": "UTC",
            "recurrence": ["frequency": "weekly", "time": "09:00", "starts_on": .string(String(SQLDate.format(Date().addingTimeInterval(30 * 86_400)).prefix(10)))],
        ], token: a.token)
        let importA = try await api.call("POST", "/api/v1/contacts/imports", raw: "name,phone\nBea Hiddenname,+14155550124\n",
                                         token: a.token)
        let domainA = try await api.call("POST", "/api/v1/email/domains", json: ["name": "secret-domain.test", "spf_include": "_spf.relay.secret-a.example"],
                                     token: a.token)
        let suppressedA = try #require(try await api.call("POST", "/api/v1/email/suppressions", json: ["address": "secret-suppressed@example.com"],
                                                          token: a.token).string("address"))
        // A's chat widget, and a visitor's conversation through it.
        let widgetA = try await api.call("POST", "/api/v1/widgets", json: ["name": "Secret widget", "allowed_origins": ["https://secret-shop.example"]],
                                         token: a.token)
        let session = try await api.call("POST", "/widget/api/session", json: ["key": .string(widgetA.string("public_key") ?? "")],
                                         headers: ["Origin": "http://127.0.0.1"])
        let visitorToken = try #require(session.string("visitor_token"), "\(session.body)")
        let question = try await api.call("POST", "/widget/api/messages", json: ["text": "Secret visitor question"],
                                          headers: ["Origin": "http://127.0.0.1", "Authorization": "Bearer \(visitorToken)"])
        let conversationA = try #require(question.string("conversation_id"), "\(question.body)")
        // A's form, and a visitor's submission through it.
        let formA = try await api.call("POST", "/api/v1/forms", json: [
            "name": "Secret form", "fields": [["key": "email", "type": "email", "label": "Secret question", "maps_to": "email"]],
            "settings": ["allowed_origins": ["https://secret-forms.example"], "spam": ["min_fill_seconds": 0]],
        ], token: a.token)
        let formPage = try await api.call("GET", "/forms/embed?key=\(formA.string("public_key") ?? "")")
        let formToken = try #require(formPage.body.firstRange(of: "fst_").map { "fst_" + formPage.body[$0.upperBound...].prefix { $0 != "\"" } })
        let submittedA = try await api.call("POST", "/forms/submit", json: [
            "key": .string(formA.string("public_key") ?? ""), "token": .string(formToken), "answers": ["email": "secret-submitter@example.com"],
        ], headers: ["Origin": "http://127.0.0.1"])
        #expect(submittedA.status == 201, "\(submittedA.body)")
        let formID = try #require(formA.string("id"), "\(formA.body)")
        let submissionA = try #require(try await api.call("GET", "/api/v1/forms/\(formID)/submissions", token: a.token).data.first?["id"]?.stringValue)
        // A voice number, and a simulated call from it played to its end.
        let numberA = try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+14155550188", "name": "Secret desk",
                                                                               "system_prompt": "Secret prompt", "record_calls": true], token: a.token)
        let numberID = try #require(numberA.string("id"), "\(numberA.body)")
        let callA = try await api.call("POST", "/api/v1/calls", json: ["number_id": .string(numberID), "to": "+14155550189",
                                                                     "context": "Secret call context"], token: a.token)
        let callID = try #require(callA.string("id"), "\(callA.body)")
        // Played out, priced, reviewed and its recording stored: nothing of A changes after the snapshot but by the walk.
        #expect(try await Poll.until(timeout: .seconds(300)) {
            let call = try await api.call("GET", "/api/v1/calls/\(callID)", token: a.token)
            return call.string("status") == "completed" && call.string("review_status") != "pending" && call.json["price"] != .null
                && call.json["has_recording"] == true
        })
        // A call campaign, in draft.
        let callCampaignA = try await api.call("POST", "/api/v1/call-campaigns", json: [
            "name": "Secret dialling", "number_id": .string(numberID), "context": "Secret campaign context", "audience": ["type": "all"],
            "calling_window": ["time_zone": "UTC", "weekly": ["mon": [["09:00", "17:00"]]]],
        ], token: a.token)
        let callCampaignID = try #require(callCampaignA.string("id"), "\(callCampaignA.body)")
        // A hidden community with a private channel and a message in it.
        let communityA = try #require(try await api.call("POST", "/api/v1/communities", json: ["name": "Secret guild", "visibility": "hidden"],
                                                         token: a.token).string("id"))
        let vaultA = try await api.call("POST", "/api/v1/communities/\(communityA)/channels", json: ["name": "secret-vault", "private": true], token: a.token)
        let vaultID = try #require(vaultA.string("id"), "\(vaultA.body)")
        #expect(try await api.call("POST", "/api/v1/communities/\(communityA)/channels/\(vaultID)/messages", json: ["body": "Secret guild message"],
                                   token: a.token).status == 201)
        // A post held for review in it.
        let heldA = try await api.call("POST", "/api/v1/communities/\(communityA)/channels/\(vaultID)/submissions", json: ["body": "Secret held post"], token: a.token)
        let heldID = try #require(heldA.string("id"), "\(heldA.body)")
        // And a file posted there.
        let fileA = try await api.call("POST", "/api/v1/communities/\(communityA)/channels/\(vaultID)/files?name=secret-plans.pdf&description=Secret%20blueprint",
                                       raw: "Secret file bytes", token: a.token, headers: ["Content-Type": "application/pdf"])
        let fileID = try #require(fileA.string("id"), "\(fileA.body)")
        #expect(try await api.call("POST", "/api/v1/communities/\(communityA)/channels/\(vaultID)/messages", json: ["body": "", "file_ids": [.string(fileID)]],
                                   token: a.token).status == 201)
        // A tracked business, its tracker and a scan.
        let seoBusiness = try #require(try await api.call("POST", "/api/v1/seo/businesses", json: [
            "name": "Secret bakery", "cid": "777000777", "latitude": 51.5, "longitude": -0.12,
        ], token: a.token).string("id"))
        let seoTracker = try #require(try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": .string(seoBusiness), "keywords": ["secret sourdough"], "grid": ["size": 3, "spacing": 1, "unit": "km", "zoom": 13],
        ], token: a.token).string("id"))
        let seoScan = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(seoTracker)/scans", token: a.token).string("id"))
        // A's calendar, with a recurring event.
        let calendarA = try #require(try await api.call("GET", "/api/v1/calendars", token: a.token).data.first?["id"]?.stringValue)
        let eventA = try #require(try await api.call("POST", "/api/v1/calendars/\(calendarA)/events", json: [
            "title": "Secret standup", "location": "secret-room", "start": "2026-11-02T09:00", "recurrence": "FREQ=DAILY;COUNT=5",
        ], token: a.token).string("id"))
        // A's video: a still (plain PPM, text a request body carries as it is), a project using it, and a render of it.
        let stillA = try await api.call("POST", "/api/v1/video/assets?name=secret-still.ppm", raw: "P3\n2 2\n255\n255 0 0 255 0 0\n255 0 0 255 0 0\n",
                                        token: a.token, headers: ["Content-Type": "image/x-portable-pixmap"])
        let assetA = try #require(stillA.string("id"), "\(stillA.body)")
        let projectA = try #require(try await api.call("POST", "/api/v1/video/projects", json: [
            "name": "Secret trailer", "resolution": 360, "duration": 1, "tracks": [["kind": "image", "clips": [["asset_id": .string(assetA), "start": 0, "duration": 1]]]],
        ], token: a.token).string("id"))
        let renderA = try #require(try await api.call("POST", "/api/v1/video/projects/\(projectA)/renders", token: a.token).string("id"))
        // A's client portal is on, and A keeps its conversations 400 days.
        #expect(try await api.call("PATCH", "/api/v1/portal/settings", json: ["enabled": true], token: a.token).status == 200)
        #expect(try await api.call("PUT", "/api/v1/privacy/retention", json: ["days": 400], token: a.token).status == 200)
        let emailTemplateID = try #require(emailTemplateA.string("id"))
        let emailID = try #require(emailA.string("id"), "\(emailA.body)")
        var secretIDs: [String] = [a.userID, workspaceA, try #require(signupA.string("user", "personal_workspace_id")), try #require(keyA.string("id")),
                         try #require(invitationA.string("invitation", "id")), try #require(signupA.string("session_id")), memberID,
                         try #require(contactA.string("id")), try #require(groupA.string("id")), try #require(templateA.string("id")),
                         try #require(importA.string("id")), try #require(messageA.string("message", "id"))]
        secretIDs.append(try #require(seriesA.string("series_id"), "\(seriesA.body)"))
        secretIDs += [suppressedA, emailTemplateID, emailID, try #require(campaignA.string("id")),
                      try #require(domainA.string("id"), "\(domainA.body)"), try #require(widgetA.string("id"), "\(widgetA.body)"), conversationA,
                      formID, submissionA, numberID, callID, callCampaignID, communityA, vaultID, heldID, fileID,
                      seoBusiness, seoTracker, seoScan, calendarA, eventA, assetA, projectA, renderA]
        let credentials: [String] = [try #require(keyA.string("key")), try #require(invitationA.string("token")), a.email, a.token,
                                     try #require(widgetA.string("identity_secret")), visitorToken]
        let names: [String] = ["Secretperson", "14155550042", "Secret circle", "Secret offer", "Secret letter", "Secret subject", "Secret html",
                               "Hiddenname", "Secret reminder", "Secret weekly", "relay.secret-a.example", "a-relay-user", "a-relay-password",
                               "ada.secret@example.com", "Secret campaign", "Secret appeal", "secret-domain.test",
                               "Secret widget", "secret-shop.example", "Secret visitor question",
                               "Secret form", "secret-forms.example", "Secret question", "secret-submitter@example.com",
                               "Secret desk", "Secret prompt", "Secret call context", "Secret dialling", "Secret campaign context",
                               "Secret guild", "secret-vault", "Secret guild message", "Secret held post", "secret-plans", "Secret blueprint", "Secret file bytes",
                               "Secret bakery", "secret sourdough", "Secret standup", "secret-room", "Secret trailer", "secret-still.ppm"]
        let secrets = secretIDs + credentials + names
        let before = try await snapshot(api, a, workspace: workspaceA)

        // Tenant B: its own account and API key.
        let signupB = try await api.signUp("tenant-b@example.com")
        var b = Tenant(token: try #require(signupB.string("access_token")), email: "tenant-b@example.com", userID: try #require(signupB.string("user", "id")))
        let keyB = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "b key"], token: b.token).string("key"))

        let worker = try #require(api.host.workers["api"] as? any RoutedWorker)
        let body: JSONValue = ["name": "walk", "email": "walker@example.com", "role": "admin", "active": false,
                               "password": "correct horse battery", "token": .string(invitationA.string("token") ?? ""),
                               "refresh_token": "ort_x"]
        var calls = 0
        for route in worker.router.routes {
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix(":") }
            // Each parameter takes each of A's ids in turn (one substitution per call keeps this small).
            let fillings: [[String]] = parameters.isEmpty ? [[]] : secretIDs.map { id in parameters.map { _ in id } }
            for filling in fillings {
                var path = route.path
                for (parameter, value) in zip(parameters, filling) {
                    path = path.replacingOccurrences(of: String(parameter), with: value)
                }
                // The console's pages take B's session as a browser sends it, in the cookie (an API key opens none).
                let console = !route.path.hasPrefix("/api/")
                for credential in console ? [b.token] : [b.token, keyB] {
                    let answer: TestResponse
                    if console && route.method != "GET" {
                        // A console form, with B's own CSRF token (from one of B's pages), so the route gets past it to the lookup.
                        let cookie = ["Cookie": "ozzi_access=\(credential)"]
                        let page = try await api.call("GET", "/console/contacts", headers: cookie).body
                        let csrf = page.range(of: "name=\"csrf-token\" content=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                        answer = try await api.call(route.method, path, raw: "_csrf=\(csrf)",
                                                    headers: cookie.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 })
                    } else {
                        answer = try await api.call(route.method, path, json: route.method == "GET" || route.method == "DELETE" ? nil : body,
                                                    token: console ? nil : credential, headers: console ? ["Cookie": "ozzi_access=\(credential)"] : [:],
                                                    maxSeconds: route.path == "/api/v1/stream" ? 0.5 : nil)
                    }
                    calls += 1
                    if !parameters.isEmpty, answer.status != 401 {
                        // Sign-in routes may refuse (403) or, walked this often from one address, rate-limit (429).
                        // Platform-admin routes refuse everyone else (403) before looking anything up; a body the
                        // route's schema refuses (or a missing one) is a 422 or 400 before any lookup too, whoever's id the path holds.
                        #expect(answer.status == 404 || answer.status == 422 && answer.string("error", "details", "field") != nil
                                    || answer.status == 400 && answer.string("error", "code") == "invalid_json" || [403, 429].contains(answer.status) && route.path.hasPrefix("/api/v1/auth/")
                                    || answer.status == 403 && (route.path.hasPrefix("/api/v1/admin/") || route.path.hasPrefix("/console/admin/")),
                                "\(route.method) \(path) answered \(answer.status) to another tenant: \(answer.body)")
                    }
                    // What the caller sent may be echoed (in a "not found" message); nothing else of A may appear.
                    let sent = String(decoding: body.jsonBytes, as: UTF8.self) + path
                    for secret in secrets where !sent.contains(secret) {
                        #expect(!answer.body.contains(secret), "\(route.method) \(path) revealed \(secret) to another tenant")
                    }
                    // Walking sign-out routes logs B out; sign back in and carry on.
                    if try await api.call("GET", "/api/v1/me", token: b.token).status == 401 { b.token = try await signIn(api, b.email) }
                }
            }
        }
        #expect(calls > 100)
        a.token = try await signIn(api, a.email)
        let after = try await snapshot(api, a, workspace: workspaceA)
        #expect(before.dropFirst() == after.dropFirst(), "tenant A's data is unchanged")
        let keyStillWorks = try await api.call("GET", "/api/v1/me", token: keyA.string("key"))
        #expect(keyStillWorks.status == 200, "A's key still works: \(keyStillWorks.body)")
    }
}
