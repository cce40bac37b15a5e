import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
import APIWorker

/// Transactional email through the messaging engine with the simulated provider, and provider events
/// through the Resend webhook route.
@Suite struct EmailTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let vars = ["PUBLIC_URL": "https://api.test", "SIMULATED_EMAIL_WEBHOOK_SECRET": secret, "SIM_EMAIL_DELIVERY_MS": "200",
                       "SMS_RETRY_BASE_SECONDS": "0.2"]
    static let from = "Acme <hello@sandbox.ozzi.test>"

    func owner(_ api: WorkerTestHost, _ email: String = "mail@example.com") async throws -> String {
        try #require(try await api.signUp(email).string("access_token"))
    }

    func wait(_ api: WorkerTestHost, _ token: String, _ id: String, stepping clock: ManualClock? = nil,
              until done: (TestResponse) -> Bool) async throws -> TestResponse {
        var email = try await api.call("GET", "/api/v1/emails/\(id)", token: token)
        _ = try await Poll.until(interval: .milliseconds(50)) {
            if done(email) { return true }
            clock?.advance(byMilliseconds: 100)
            email = try await api.call("GET", "/api/v1/emails/\(id)", token: token)
            return done(email)
        }
        return email
    }

    /// A Resend-style event signed as Svix signs it.
    func event(_ api: WorkerTestHost, _ type: String, providerID: String, at timestamp: Int64? = nil, secret: String = secret,
               extra: [String: JSONValue] = [:]) async throws -> TestResponse {
        var data: [String: JSONValue] = ["email_id": .string(providerID), "to": ["ada@example.com"], "subject": "x"]
        data.merge(extra) { _, new in new }
        let body = String(decoding: JSONValue.object(["type": .string(type), "created_at": "2026-12-01T10:00:00.000Z", "data": .object(data)]).jsonBytes,
                          as: UTF8.self)
        let id = "msg_" + Crypto.hex(Crypto.randomBytes(8))
        let stamp = timestamp ?? Int64(Date().timeIntervalSince1970)
        let key = try #require(Base64.decode(String(secret.dropFirst("whsec_".count))))
        let signature = "v1," + Base64.encode(Crypto.hmacSHA256(key: key, Array("\(id).\(stamp).\(body)".utf8)))
        return try await api.call("POST", "/api/v1/webhooks/resend", raw: body, headers: [
            "Content-Type": "application/json", "svix-id": id, "svix-timestamp": "\(stamp)", "svix-signature": "v1,bm90IGl0 " + signature,
        ])
    }

    @Test func sentAtItsDueSecondDeliveredAndKeptAsTheMessageSent() async throws {
        let clock = MessagingTests.manualClock()
        let api = try await APIHost.start(vars: Self.vars, clock: clock)
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        let contact = try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada Lovelace", "phone": "+14155550100", "email": "Ada@Example.com"],
                                     token: token)
        let dueMs = clock.milliseconds / 1000 * 1000 + 2000
        let due = Date(timeIntervalSince1970: Double(dueMs) / 1000)
        let sent = try await api.call("POST", "/api/v1/emails", json: [
            "contact_id": .string(try #require(contact.string("id"))), "from": .string(Self.from), "reply_to": "help@sandbox.ozzi.test",
            "subject": "Hello {{first_name}}", "html": "<p>Hi <b>{{first_name}}</b>, welcome.</p>", "text": "Hi {{first_name}}, welcome.",
            "tags": [["name": "kind", "value": "welcome"]], "scheduled_at": .string(MessagingTests.iso(due)),
        ], token: token)
        #expect(sent.status == 201, "\(sent.body)")
        let id = try #require(sent.string("id"))
        #expect(sent.string("status") == "queued")
        #expect(sent.string("to") == "ada@example.com")

        clock.set(milliseconds: dueMs - 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await api.call("GET", "/api/v1/emails/\(id)", token: token).string("status") == "queued", "not sent before it is due")
        clock.set(milliseconds: dueMs)
        let accepted = try await wait(api, token, id) { $0.string("sent_at") != nil }
        #expect(accepted.string("sent_at").flatMap(SQLDate.parse) == due, "sent at \(accepted.string("sent_at") ?? "?")")
        #expect(accepted.string("subject") == "Hello Ada")
        let delivered = try await wait(api, token, id, stepping: clock) { $0.string("status") == "delivered" }
        #expect(delivered.string("status") == "delivered", "\(delivered.body)")
        let results = (delivered["timeline"]?.arrayValue ?? []).map { "\($0["kind"]?.stringValue ?? ""):\($0["result"]?.stringValue ?? "")" }
        #expect(results.starts(with: ["status:pending", "attempt:accepted", "status:sent"]) && results.last == "status:delivered", "\(results)")

        let message = try await api.call("GET", "/api/v1/emails/\(id)/message", token: token)
        #expect(message.status == 200)
        #expect(message.headers["content-type"]?.hasPrefix("message/rfc822") == true)
        #expect(message.body.contains("Subject: Hello Ada"), "\(message.body)")
        #expect(message.body.contains("To: ada@example.com"))
    }

    @Test func providerEventsAreSignedAndMoveAnEmailForwardOnly() async throws {
        let api = try await APIHost.start(vars: Self.vars.merging(["SIM_EMAIL_DELIVERY_MS": "600000"]) { _, new in new })
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        let sent = try await api.call("POST", "/api/v1/emails", json: ["to": "ada@example.com", "from": .string(Self.from), "subject": "Hi", "text": "Hello"],
                                      token: token)
        let id = try #require(sent.string("id"), "\(sent.body)")
        let accepted = try await wait(api, token, id) { $0.string("provider_message_id") != nil }
        let providerID = try #require(accepted.string("provider_message_id"))

        // Unsigned, wrongly signed, or stale: refused, nothing moves.
        let unsigned = try await api.call("POST", "/api/v1/webhooks/resend", json: ["type": "email.delivered", "data": ["email_id": .string(providerID)]])
        #expect(unsigned.status == 403, "\(unsigned.body)")
        #expect(try await event(api, "email.delivered", providerID: providerID, secret: "whsec_" + Base64.encode(Array("another secret".utf8))).status == 403)
        #expect(try await event(api, "email.delivered", providerID: providerID, at: Int64(Date().timeIntervalSince1970) - 301).status == 403)
        #expect(try await api.call("GET", "/api/v1/emails/\(id)", token: token).string("status") == "sent")

        #expect(try await event(api, "email.opened", providerID: providerID).status == 200)
        #expect(try await api.call("GET", "/api/v1/emails/\(id)", token: token).string("status") == "opened")
        // A late `delivered`, a repeat: nothing changes, each acknowledged.
        #expect(try await event(api, "email.delivered", providerID: providerID).status == 200)
        #expect(try await event(api, "email.opened", providerID: providerID).status == 200)
        let opened = try await api.call("GET", "/api/v1/emails/\(id)", token: token)
        #expect(opened.string("status") == "opened")
        #expect((opened["timeline"]?.arrayValue ?? []).filter { $0["result"] == "opened" }.count == 1)
        // A complaint is final.
        #expect(try await event(api, "email.complained", providerID: providerID).status == 200)
        #expect(try await event(api, "email.clicked", providerID: providerID).status == 200)
        #expect(try await api.call("GET", "/api/v1/emails/\(id)", token: token).string("status") == "complained")
        // An id we do not know (yet): the provider is asked to try again later.
        #expect(try await event(api, "email.delivered", providerID: "not-ours").status == 404)
    }

    /// Events posted at once share transactions, so one batch may hold several events of one email; each is
    /// read against what the ones before it did (their writes wait for the batch's end), so whatever the
    /// batches, an email ends at its furthest status with each status on its timeline once.
    @Test func eventsArrivingTogetherMoveEachEmailOnceEach() async throws {
        let api = try await APIHost.start(vars: Self.vars.merging(["SIM_EMAIL_DELIVERY_MS": "600000"]) { _, new in new })
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        var emails: [(id: String, providerID: String, bounces: Bool)] = []
        for index in 0..<8 {
            let sent = try await api.call("POST", "/api/v1/emails", json: ["to": .string("reader\(index)@example.com"), "from": .string(Self.from),
                                                                           "subject": "Hi", "text": "Hello"], token: token)
            let id = try #require(sent.string("id"), "\(sent.body)")
            let accepted = try await wait(api, token, id) { $0.string("provider_message_id") != nil }
            emails.append((id, try #require(accepted.string("provider_message_id")), index % 2 == 1))
        }
        let opened = ["email.delivered", "email.opened", "email.clicked", "email.opened", "email.delivered"]
        let bounced = ["email.delivered", "email.bounced", "email.delivered", "email.opened"]
        try await withThrowingTaskGroup(of: Int.self) { group in
            for email in emails {
                for type in email.bounces ? bounced : opened {
                    group.addTask { try await event(api, type, providerID: email.providerID).status }
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        for email in emails {
            let read = try await api.call("GET", "/api/v1/emails/\(email.id)", token: token)
            #expect(read.string("status") == (email.bounces ? "bounced" : "clicked"), "\(read.body)")
            let results = (read["timeline"]?.arrayValue ?? []).filter { $0["kind"] == "status" }.compactMap { $0["result"]?.stringValue }
            #expect(Set(results).count == results.count, "each status once: \(results)")
            #expect(results.last == (email.bounces ? "bounced" : "clicked"), "\(results)")
            // Clicked settles the send as delivered, whichever event came first.
            if !email.bounces { #expect(read.string("delivered_at") != nil, "\(read.body)") }
        }
        let suppressed = try await api.call("GET", "/api/v1/email/suppressions", token: token)
        #expect(Set((suppressed.data).compactMap { $0["address"]?.stringValue }) == Set(emails.indices.filter { $0 % 2 == 1 }.map { "reader\($0)@example.com" }),
                "\(suppressed.body)")
    }

    @Test func badRequestsNameTheField() async throws {
        let api = try await APIHost.start(vars: Self.vars)
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        func refused(_ body: JSONValue) async throws -> (Int, String?) {
            let answer = try await api.call("POST", "/api/v1/emails", json: body, token: token)
            return (answer.status, answer.string("error", "details", "field") ?? answer.string("error", "code"))
        }
        let base: [String: JSONValue] = ["to": "ada@example.com", "from": .string(Self.from), "subject": "Hi", "text": "Hello"]
        func with(_ changes: [String: JSONValue?]) -> JSONValue {
            var body = base
            for (key, value) in changes { body[key] = value }
            return .object(body)
        }
        #expect(try await refused(with(["to": "not an address"])) == (422, "to"))
        #expect(try await refused(with(["from": "Acme <nope>"])) == (422, "from"))
        let forged = try await refused(with(["from": "Acme\r\nBcc: x@y.z <a@sandbox.ozzi.test>"]))
        #expect(forged == (422, "from"), "\(forged)")
        #expect(try await refused(with(["subject": nil])).0 == 422)
        #expect(try await refused(with(["text": nil])).0 == 422)
        #expect(try await refused(with(["contact_id": "con_x"])).0 == 422, "contact_id and to together")
        #expect(try await refused(with(["to": nil, "contact_id": "con_missing"])) == (404, "not_found"))
        #expect(try await refused(with(["subject": "Hi {{custom.}}"])) == (422, "subject"))
        #expect(try await refused(with(["tags": [["name": "bad tag", "value": "x"]]])).0 == 422)
        #expect(try await refused(with(["scheduled_at": "tomorrow-ish"])).0 == 422)
    }

    @Test func variablesAndAContactFillAnEmailAndHTMLIsEscaped() async throws {
        let api = try await APIHost.start(vars: Self.vars)
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        let contact = try await api.call("POST", "/api/v1/contacts", json: ["name": "<script>alert(1)</script> Lovelace", "phone": "+14155550101",
                                                                           "email": "ada@example.com"], token: token)
        let sent = try await api.call("POST", "/api/v1/emails", json: [
            "contact_id": .string(try #require(contact.string("id"))), "from": .string(Self.from),
            "subject": "Order {{order}} for {{first_name}}", "html": "<p>Dear {{first_name}}, order {{order}} ships {{when|soon}}.</p>",
            "variables": ["order": "A&B-17"],
        ], token: token)
        let id = try #require(sent.string("id"), "\(sent.body)")
        let accepted = try await wait(api, token, id) { $0.string("provider_message_id") != nil }
        #expect(accepted.string("subject") == "Order A&B-17 for <script>alert(1)</script>")
        let message = try await api.call("GET", "/api/v1/emails/\(id)/message", token: token)
        // Escaped in the HTML part; the text part and the subject are plain text and keep the name as written.
        #expect(message.body.contains("Dear &lt;script&gt;alert(1)&lt;/script&gt;"), "\(message.body)")
        #expect(message.body.contains("A&amp;B-17"))
        // A variable with no value and no fallback fails that email alone, naming it.
        let missing = try await api.call("POST", "/api/v1/emails", json: ["to": "bea@example.com", "from": .string(Self.from),
                                                                         "subject": "Hi", "text": "Code {{code}}"], token: token)
        let failed = try await wait(api, token, try #require(missing.string("id"), "\(missing.body)")) { $0.string("status") == "failed" }
        #expect(failed.string("error", "code") == "variables_missing", "\(failed.body)")
    }

    @Test func aBounceOrAComplaintSuppressesTheAddressForTheNextSend() async throws {
        let api = try await APIHost.start(vars: Self.vars.merging(["SIM_EMAIL_DELIVERY_MS": "50"]) { _, new in new })
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        for (address, status, reason) in [("bounced@simulator.ozzi.test", "bounced", "hard_bounce"),
                                          ("complained@simulator.ozzi.test", "complained", "complaint")] {
            let first = try await api.call("POST", "/api/v1/emails", json: ["to": .string(address), "from": .string(Self.from), "subject": "Hi", "text": "One"],
                                           token: token)
            let settled = try await wait(api, token, try #require(first.string("id"), "\(first.body)")) { $0.string("status") == status }
            #expect(settled.string("status") == status, "\(settled.body)")
            let listed = try await api.call("GET", "/api/v1/email/suppressions", token: token)
            #expect(listed["data"]?.arrayValue?.contains { $0["address"]?.stringValue == address && $0["reason"]?.stringValue == reason } == true,
                    "\(listed.body)")
            // The next email to the address is not handed to the provider.
            let second = try await api.call("POST", "/api/v1/emails", json: ["to": .string(address), "from": .string(Self.from), "subject": "Hi", "text": "Two"],
                                            token: token)
            let refused = try await wait(api, token, try #require(second.string("id"))) { $0.string("status") == "failed" }
            #expect(refused.string("error", "code") == "suppressed", "\(refused.body)")
            #expect(refused.string("provider_message_id") == nil)
        }
    }

    @Test func anIdempotencyKeySendsOnce() async throws {
        let api = try await APIHost.start(vars: Self.vars)
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        let body: JSONValue = ["to": "ada@example.com", "from": .string(Self.from), "subject": "Receipt", "text": "Thanks"]
        let first = try await api.call("POST", "/api/v1/emails", json: body, token: token, headers: ["Idempotency-Key": "order-1001"])
        let second = try await api.call("POST", "/api/v1/emails", json: body, token: token, headers: ["Idempotency-Key": "order-1001"])
        #expect(first.status == 201 && second.status == 201)
        #expect(first.string("id") == second.string("id"))
        let list = try await api.call("GET", "/api/v1/emails", token: token)
        #expect(list["data"]?.arrayValue?.count == 1, "\(list.body)")
    }

    /// A workspace on Resend: its emails go to Resend with its own key (the exact JSON, one idempotency key
    /// per email), and Resend's events about them are checked with the secret the workspace stored.
    @Test func aWorkspaceOnResendSendsThroughItsOwnAccount() async throws {
        let stub = try await ResendClientTests.stub()
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: Self.vars.merging(["RESEND_API_BASE": "http://127.0.0.1:\(stub.port)",
                                                                   "DNS_SERVER": dns.address.description]) { $1 })
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        let workspaceSecret = "whsec_" + Base64.encode(Array("resend-secret-of-this-workspace!".utf8))
        let settings = try await api.call("PUT", "/api/v1/email/settings", json: [
            "provider": "resend", "resend_api_key": .string(ResendClientTests.apiKey), "resend_webhook_secret": .string(workspaceSecret),
        ], token: token)
        #expect(settings.status == 200, "\(settings.body)")
        // Off the simulated provider a sender needs a verified domain of the workspace.
        try await SendingDomainTests.verifiedDomain("receipts.test", api, token: token, dns: dns)
        let from = "Acme <receipts@receipts.test>"

        let sent = try await api.call("POST", "/api/v1/emails", json: [
            "to": "reader@example.org", "from": .string(from), "subject": "Your receipt {{order_id}}", "text": "Thanks for order {{order_id}}.",
            "variables": ["order_id": "A-7"],
        ], token: token)
        let id = try #require(sent.string("id"), "\(sent.body)")
        let accepted = try await wait(api, token, id) { $0.string("status") == "sent" }
        #expect(accepted.string("status") == "sent", "\(accepted.body)")
        // (The domain was added and verified through Resend's domain API before.)
        let request = try #require(try await stub.requests().first { $0["path"] as? String == "/emails" })
        #expect(request["path"] as? String == "/emails")
        #expect(request["authorization"] as? String == "Bearer \(ResendClientTests.apiKey)")
        #expect(request["idempotency_key"] as? String == id)
        let body = try #require(request["body"] as? [String: Any])
        #expect(body["from"] as? String == from && body["to"] as? [String] == ["reader@example.org"])
        #expect(body["subject"] as? String == "Your receipt A-7" && body["text"] as? String == "Thanks for order A-7.")
        #expect((body["headers"] as? [String: String])?["X-Ozzi-Message-Id"] == id)

        // Resend's event about it: the simulated provider's secret no longer verifies it; the workspace's does.
        let providerID = try #require(accepted.string("provider_message_id"), "\(accepted.body)")
        #expect(try await event(api, "email.delivered", providerID: providerID).status == 403)
        #expect(try await event(api, "email.delivered", providerID: providerID, secret: workspaceSecret).status == 200)
        #expect(try await api.call("GET", "/api/v1/emails/\(id)", token: token).string("status") == "delivered")
    }

    /// A workspace on its own relay: the email goes over STARTTLS with the stored login, signed with the
    /// DKIM key of its From domain, and the signature verifies against the record the domain published.
    @Test func aWorkspaceOnItsRelaySignsWithItsDomainsKey() async throws {
        let smtp = try await LocalSMTPServer.start(.starttls)
        defer { smtp.stop() }
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: Self.vars.merging(["DNS_SERVER": dns.address.description, "SMTP_ALLOW_PRIVATE_HOSTS": "true",
                                                                   "SMTP_CA_FILE": smtp.caFile]) { $1 })
        defer { Task { await api.stop() } }
        let token = try await owner(api)
        #expect(try await api.call("PUT", "/api/v1/email/settings", json: [
            "provider": "smtp", "smtp_host": "127.0.0.1", "smtp_port": .number(Double(smtp.port)),
            "smtp_auth": ["username": .string(LocalSMTPServer.user), "password": .string(LocalSMTPServer.password)],
        ], token: token).status == 200)
        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": "relay-news.test", "spf_include": "_spf.relay.example"], token: token)
        let records = try #require(added.json["records"]?.arrayValue, "\(added.body)")
        try dns.serve(SendingDomainTests.published(records))
        #expect(try await api.call("POST", "/api/v1/email/domains/\(try #require(added.string("id")))/verify", token: token).string("status") == "verified")

        let sent = try await api.call("POST", "/api/v1/emails", json: [
            "to": "reader@example.org", "from": "Relay News <hello@relay-news.test>", "subject": "Signed", "text": "Signed by our key.",
        ], token: token)
        let id = try #require(sent.string("id"), "\(sent.body)")
        let accepted = try await wait(api, token, id) { $0.string("status") == "sent" }
        #expect(accepted.string("status") == "sent", "\(accepted.body)")
        let received = try #require(try smtp.messages().first)
        let data = try #require(received["data"] as? String)
        #expect(data.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256;"), "\(data.prefix(200))")
        #expect(try smtp.auths().first?["ok"] as? Bool == true)
        let dkim = try #require(records.first { $0["kind"] == "dkim" })
        let (verified, log) = try await DKIMTests.verify(Array(data.utf8), record: try #require(dkim["value"]?.stringValue),
                                                        name: try #require(dkim["name"]?.stringValue))
        #expect(verified, "\(log)")
    }
}
