@testable import APIWorker
import OzziRuntime
import OzziTestSupport
import Testing

/// The workspace's suppression list: through its routes, and as the engine and provider events use it.
@Suite struct SuppressionTests {
    @Test func theListIsPagedFilteredAndOnlyAdminsTakeAddressesOff() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let api = f.api
        let owner = f.token
        let workspace = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Acme"], token: owner).string("id"))
        let acme = ["X-Workspace-Id": workspace]
        for (address, reason) in [("First@Example.com", nil), ("second@example.com", "hard_bounce"), ("third@example.com", nil)] as [(String, String?)] {
            var body: [String: JSONValue] = ["address": .string(" \(address) ")]
            if let reason { body["reason"] = .string(reason) }
            let added = try await api.call("POST", "/api/v1/email/suppressions", json: .object(body), token: owner, headers: acme)
            #expect(added.status == 201, "\(added.body)")
            #expect(added.string("address") == address.lowercased())
            f.clock.advance(byMilliseconds: 1000)
        }
        let again = try await api.call("POST", "/api/v1/email/suppressions", json: ["address": "second@example.com"], token: owner, headers: acme)
        #expect(again.status == 201 && again.string("reason") == "hard_bounce", "an address already there keeps its first reason: \(again.body)")
        let bad = try await api.call("POST", "/api/v1/email/suppressions", json: ["address": "not an address"], token: owner, headers: acme)
        #expect(bad.status == 422 && bad.string("error", "details", "field") == "address", "\(bad.body)")
        let badReason = try await api.call("POST", "/api/v1/email/suppressions", json: ["address": "a@b.co", "reason": "bored"], token: owner, headers: acme)
        #expect(badReason.status == 422 && badReason.string("error", "details", "field") == "reason", "\(badReason.body)")

        // Newest first, two at a time.
        let page1 = try await api.call("GET", "/api/v1/email/suppressions?limit=2", token: owner, headers: acme)
        #expect(page1.data.compactMap { $0["address"]?.stringValue } == ["third@example.com", "second@example.com"])
        let cursor = try #require(page1.string("next_cursor"))
        let page2 = try await api.call("GET", "/api/v1/email/suppressions?limit=2&cursor=\(cursor)", token: owner, headers: acme)
        #expect(page2.data.compactMap { $0["address"]?.stringValue } == ["first@example.com"])
        #expect(page2["next_cursor"] == .null)
        let bounced = try await api.call("GET", "/api/v1/email/suppressions?reason=hard_bounce", token: owner, headers: acme)
        #expect(bounced.data.compactMap { $0["address"]?.stringValue } == ["second@example.com"])
        #expect(try await api.call("GET", "/api/v1/email/suppressions", token: owner).data.isEmpty, "the owner's other workspace has its own list")
        #expect(try await api.call("GET", "/api/v1/email/suppressions/FIRST@example.com", token: owner, headers: acme).string("reason") == "manual")
        #expect(try await api.call("GET", "/api/v1/email/suppressions/nobody@example.com", token: owner, headers: acme).status == 404)

        // A member may look and add, not take an address off.
        let invite = try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "member@example.com"], token: owner)
        let member = try #require(try await api.signUp("member@example.com").string("access_token"))
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(invite.string("token") ?? "")], token: member).status == 200)
        #expect(try await api.call("GET", "/api/v1/email/suppressions", token: member, headers: acme).data.count == 3)
        let refused = try await api.call("DELETE", "/api/v1/email/suppressions/first@example.com", token: member, headers: acme)
        #expect(refused.status == 403, "\(refused.body)")
        #expect(try await api.call("DELETE", "/api/v1/email/suppressions/first@example.com", token: owner, headers: acme).status == 204)
        #expect(try await api.call("DELETE", "/api/v1/email/suppressions/first@example.com", token: owner, headers: acme).status == 404)
        #expect(try await api.call("GET", "/api/v1/email/suppressions", token: owner, headers: acme).data.count == 2)
    }

    @Test func suppressingOptsTheContactsOutOfEmailAndRecordsEvents() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let ada = try await f.contact("ada@example.com", phone: "+14155550101")
        let other = try await f.contact("bea@example.com", phone: "+14155550103")
        let fresh = try await f.api.call("GET", "/api/v1/contacts/\(ada)", token: f.token)
        #expect(fresh["email_consent"] == ["status": "unknown"], "\(fresh.body)")

        #expect(try await f.api.call("POST", "/api/v1/email/suppressions", json: ["address": "ADA@example.com"], token: f.token).status == 201)
        // (One contact has the address: an address belongs to one contact of a workspace.)
        for id in [ada] {
            let contact = try await f.api.call("GET", "/api/v1/contacts/\(id)", token: f.token)
            #expect(contact.string("email_consent", "status") == "opted_out", "\(contact.body)")
            #expect(contact.string("email_consent", "method") == "suppression list")
            #expect(contact.string("email_consent", "changed_at") != nil)
            #expect(contact.string("sms_consent", "status") == "unknown", "SMS consent is another matter")
        }
        #expect(try await f.api.call("GET", "/api/v1/contacts/\(other)", token: f.token).string("email_consent", "status") == "unknown")
        #expect(try await f.events("email.suppressed") == [["address": "ada@example.com", "reason": "manual"]])
        let updated = try await f.events("contact.updated").compactMap { $0["contact_id"]?.stringValue }
        #expect(updated == [ada])

        // Off the list, the contacts stay opted out until someone opts them in (email consent is settable).
        #expect(try await f.api.call("DELETE", "/api/v1/email/suppressions/ada@example.com", token: f.token).status == 204)
        #expect(try await f.events("email.unsuppressed") == [["address": "ada@example.com"]])
        #expect(try await f.api.call("GET", "/api/v1/contacts/\(ada)", token: f.token).string("email_consent", "status") == "opted_out")
        let optedIn = try await f.api.call("PATCH", "/api/v1/contacts/\(ada)", json: ["email_consent": ["status": "opted_in", "method": "double opt-in"]],
                                           token: f.token)
        #expect(optedIn.string("email_consent", "status") == "opted_in" && optedIn.string("email_consent", "method") == "double opt-in", "\(optedIn.body)")
        #expect(optedIn.string("sms_consent", "status") == "unknown")
        let badConsent = try await f.api.call("PATCH", "/api/v1/contacts/\(ada)", json: ["email_consent": ["status": "maybe"]], token: f.token)
        #expect(badConsent.status == 422 && badConsent.string("error", "details", "field")?.hasPrefix("email_consent") == true, "\(badConsent.body)")
        let created = try await f.api.call("POST", "/api/v1/contacts", json: [
            "phone": "+14155550104", "email": "cy@example.com", "email_consent": ["status": "opted_in", "method": "signup form"],
        ], token: f.token)
        #expect(created.string("email_consent", "status") == "opted_in" && created.string("email_consent", "method") == "signup form", "\(created.body)")
    }

    @Test func bouncesComplaintsAndSoftBounceThresholdsSuppressForTheEngine() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let other = TenantScope(workspaceID: try #require(try await f.api.call("POST", "/api/v1/workspaces", json: ["name": "Other"], token: f.token).string("id")))
        let contact = try await f.contact("hard@example.com", phone: "+14155550111")
        let bounced = try await f.sentEmail(to: "hard@example.com", campaignID: "cmp_1", contactID: contact)
        let now = Timestamp.now(f.clock)
        let added = try await f.database.transaction { [scope = f.scope] tx in
            try SuppressionStore.add(tx, scope: scope, address: "Hard@Example.com", reason: .hardBounce, messageID: bounced, now: now)
        }
        #expect(added)
        let again = try await f.database.transaction { [scope = f.scope] tx in
            try SuppressionStore.add(tx, scope: scope, address: "hard@example.com", reason: .complaint, messageID: bounced, now: now)
        }
        #expect(!again, "already suppressed: nothing changes")
        let row = try await f.api.call("GET", "/api/v1/email/suppressions/hard@example.com", token: f.token)
        #expect(row.json == ["address": "hard@example.com", "reason": "hard_bounce", "message_id": .string(bounced), "campaign_id": "cmp_1",
                             "created_at": .string(now)], "\(row.body)")
        #expect(try await f.events("email.suppressed").count == 1)
        #expect(try await f.api.call("GET", "/api/v1/contacts/\(contact)", token: f.token).string("email_consent", "method") == "hard bounce")

        // Soft bounces: the threshold within the window suppresses; a quiet month starts the count over.
        func soft(_ address: String) async throws -> Bool {
            try await f.database.transaction { [scope = f.scope, ms = f.clock.milliseconds] tx in
                try SuppressionStore.softBounce(tx, scope: scope, address: address, messageID: nil, atMs: ms)
            }
        }
        #expect(try await !soft("soft@example.com"))
        #expect(try await !soft("soft@example.com"))
        f.clock.advance(byMilliseconds: SoftBounces.windowMs + 1)
        #expect(try await !soft("soft@example.com"), "the window passed: this is the first of a new count")
        f.clock.advance(byMilliseconds: 86_400_000)
        #expect(try await !soft("SOFT@example.com"))
        #expect(try await soft("soft@example.com"), "the third within the window suppresses")
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions/soft@example.com", token: f.key).string("reason") == "soft_bounce_threshold")

        // The engine's batch check: one query, any case, this workspace only.
        _ = try await f.database.transaction { tx in
            try SuppressionStore.add(tx, scope: other, address: "elsewhere@example.com", reason: .complaint, messageID: nil, now: now)
        }
        let batch = ["HARD@example.com", "soft@example.com", "fine@example.com", "elsewhere@example.com"]
        #expect(try await f.domain.suppressions.suppressed(f.scope, addresses: batch) == ["hard@example.com", "soft@example.com"])
        #expect(try await f.domain.suppressions.suppressed(other, addresses: batch) == ["elsewhere@example.com"])
        #expect(try await f.domain.suppressions.suppressed(f.scope, addresses: []) == [])
        #expect(try await f.domain.suppressions.isSuppressed(f.scope, address: "Hard@example.com"))
        #expect(try await !f.domain.suppressions.isSuppressed(f.scope, address: "fine@example.com"))
        let inTransaction = try await f.database.transaction { [scope = f.scope] tx in
            try SuppressionStore.suppressed(tx, scope: scope, addresses: batch)
        }
        #expect(inTransaction == ["hard@example.com", "soft@example.com"])
    }
}
