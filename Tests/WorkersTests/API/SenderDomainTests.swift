@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A From is checked again when its email is due, not only when it was made: a domain deleted or failing
/// its re-check since then fails the email (a campaign's count as failures toward its error threshold),
/// and nothing reaches the provider. And domains of workspaces on Resend go through Resend's domain API
/// (a local stub checking the exact JSON, path and headers) as well as our own DNS checks.
@Suite struct SenderDomainTests {
    static func vars(_ dns: DNSTestServer, _ extra: [String: String] = [:]) -> [String: String] {
        EmailTests.vars.merging(["DNS_SERVER": dns.address.description, "DNS_TIMEOUT_MS": "1000"]) { $1 }.merging(extra) { $1 }
    }

    /// The emails the simulated provider was handed (one log line each).
    static func handedOver(_ api: WorkerTestHost) -> [Substring] {
        ((try? String(contentsOfFile: api.dataDirectory + "/api/simulated-email.log", encoding: .utf8)) ?? "").split(separator: "\n")
    }

    // MARK: - The rule

    @Test func whoMaySendThroughWhichProvider() throws {
        let verified = ["sim.test": "simulated", "relay.test": "smtp", "resend.test": "resend"]
        func refused(_ provider: String, _ from: String) -> String? {
            Senders(provider: provider, verified: verified, sandboxDomain: "sandbox.ozzi.test").refusal(from)?.domain
        }
        #expect(refused("simulated", "a@sim.test") == nil && refused("simulated", "a@resend.test") == nil && refused("simulated", "A <a@Sandbox.Ozzi.test.>") == nil)
        #expect(refused("smtp", "a@relay.test") == nil && refused("smtp", "a@sim.test") == nil)
        #expect(refused("smtp", "a@resend.test") == "resend.test" && refused("smtp", "a@sandbox.ozzi.test") == "sandbox.ozzi.test")
        #expect(refused("resend", "News <news@resend.test>") == nil)
        #expect(refused("resend", "a@sim.test") == "sim.test" && refused("resend", "a@relay.test") == "relay.test")
        #expect(refused("simulated", "a@mail.sim.test") == "mail.sim.test", "a subdomain is not its parent")
        #expect(refused("simulated", "nobody") == "nobody")
        let failure = try #require(Senders(provider: "resend", verified: verified, sandboxDomain: "x").sendFailure("a@sim.test"))
        #expect(failure.code == "sender_not_allowed" && failure.message.contains("sim.test") && failure.message.contains("simulated"), "\(failure)")
    }

    // MARK: - At send time

    /// Two emails from a verified domain, due later: the domain is deleted before the first is due, the
    /// other domain fails its re-check before the second. Each fails naming its domain, with no attempt;
    /// an email from the sandbox due with them goes out.
    @Test func aDueEmailWhoseDomainIsGoneOrFailingFailsUnsent() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let clock = MessagingTests.manualClock()
        let api = try await APIHost.start(vars: Self.vars(dns), clock: clock)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("sender@example.com").string("access_token"))
        try await SendingDomainTests.verifiedDomain("deleted.test", api, token: token, dns: dns)
        try await SendingDomainTests.verifiedDomain("failing.test", api, token: token, dns: dns)
        let domains = try await api.call("GET", "/api/v1/email/domains", token: token).json["data"]?.arrayValue ?? []
        let ids = Dictionary(uniqueKeysWithValues: domains.map { ($0["name"]!.stringValue!, $0["id"]!.stringValue!) })
        let zone = SendingDomainTests.published(domains.first { $0["name"] == "failing.test" }?["records"]?.arrayValue ?? [])

        let dueMs = clock.milliseconds / 1000 * 1000 + 5000
        func email(from: String) async throws -> String {
            let sent = try await api.call("POST", "/api/v1/emails", json: [
                "to": "reader@example.org", "from": .string(from), "subject": "Hello", "text": "Hi",
                "scheduled_at": .string(MessagingTests.iso(Date(timeIntervalSince1970: Double(dueMs) / 1000))),
            ], token: token)
            #expect(sent.status == 201, "\(sent.body)")
            return try #require(sent.string("id"))
        }
        let fromDeleted = try await email(from: "News <news@deleted.test>")
        let fromFailing = try await email(from: "news@failing.test")
        let fromSandbox = try await email(from: EmailTests.from)

        #expect(try await api.call("DELETE", "/api/v1/email/domains/\(try #require(ids["deleted.test"]))", token: token).status == 204)
        // failing.test's DKIM record is taken down; its check (on demand here, daily otherwise) fails it.
        var broken = zone
        broken["ozzi._domainkey.failing.test"] = nil
        try dns.serve(broken)
        let failed = try await api.call("POST", "/api/v1/email/domains/\(try #require(ids["failing.test"]))/verify", token: token)
        #expect(failed.string("status") == "failed", "\(failed.body)")

        clock.set(milliseconds: dueMs)
        for (id, domain) in [(fromDeleted, "deleted.test"), (fromFailing, "failing.test")] {
            let email = try await EmailTests().wait(api, token, id) { $0.string("status") == "failed" }
            #expect(email.string("status") == "failed" && email.string("error", "code") == "sender_not_allowed", "\(email.body)")
            #expect(email.string("error", "message")?.contains("not sent from \(domain)") == true, "\(email.body)")
            #expect(email.string("sent_at") == nil && email.string("provider_message_id") == nil)
            let kinds = (email["timeline"]?.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }
            #expect(!kinds.contains("attempt"), "no attempt was made: \(email.body)")
        }
        let sent = try await EmailTests().wait(api, token, fromSandbox) { $0.string("sent_at") != nil }
        #expect(sent.string("sent_at") != nil, "\(sent.body)")
        let log = Self.handedOver(api)
        #expect(log.count == 1 && log[0].contains(fromSandbox), "\(log)")
    }

    /// An email campaign whose domain is deleted after it was made: each recipient's email fails at send
    /// time, the failures pause the campaign at its threshold, and nothing was handed over.
    @Test func aCampaignWhoseDomainIsGoneFailsEachSendAndPauses() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: Self.vars(dns, CampaignTests.vars.merging(CampaignEmailTests.vars) { $1 }))
        defer { Task { await api.stop() } }
        let w = CampaignTests.World(api: api, token: try #require(try await api.signUp("campaigner@example.com").string("access_token")))
        let campaigns = CampaignTests()
        _ = try await campaigns.importContacts(w, 40)
        try await SendingDomainTests.verifiedDomain("hope.test", api, token: w.token, dns: dns)
        let id = try await campaigns.create(w, ["name": "Spring", "channel": "email", "throttle_per_second": 20, "error_threshold": 5,
                                                "content": ["from": "Hope <news@hope.test>", "subject": "News", "text": "Hello {{first_name|friend}}"]])
        let domain = try #require(try await api.call("GET", "/api/v1/email/domains", token: w.token)["data"]?.arrayValue?.first?["id"]?.stringValue)
        #expect(try await api.call("DELETE", "/api/v1/email/domains/\(domain)", token: w.token).status == 204)

        #expect(try await campaigns.action(w, id, "send").string("state") == "running")
        let paused = try await campaigns.wait(w, id) { $0.string("state") == "paused" }
        #expect(paused.string("state_reason")?.hasPrefix("paused automatically") == true, "\(paused.body)")
        #expect(campaigns.stat(paused, "failed") >= 5 && campaigns.stat(paused, "sent") == 0, "\(paused.body)")
        let failedID = try #require(try await api.database("api").prepare("SELECT id FROM messages WHERE campaign_id = ? AND status = 'failed' LIMIT 1")
            .bind(id).first()?.text("id"))
        let failed = try await api.call("GET", "/api/v1/emails/\(failedID)", token: w.token)
        #expect(failed.string("error", "code") == "sender_not_allowed" && failed.string("error", "message")?.contains("hope.test") == true, "\(failed.body)")
        #expect(Self.handedOver(api).isEmpty)
    }

    /// An email or an email campaign without a From goes from the workspace's default sender, checked as a
    /// From is: when the default's domain is gone, the email is refused naming default_from.
    @Test func anEmailWithoutAFromUsesTheDefaultSender() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: Self.vars(dns))
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("desk@example.com").string("access_token"))
        let later = JSONValue.string(SQLDate.format(Date().addingTimeInterval(30 * 86_400)))
        func email() async throws -> TestResponse {
            try await api.call("POST", "/api/v1/emails", json: ["to": "reader@example.org", "subject": "Hi", "text": "Hello", "scheduled_at": later],
                               token: token)
        }
        func campaign() async throws -> TestResponse {
            try await api.call("POST", "/api/v1/campaigns", json: ["name": "News", "channel": "email", "audience": ["type": "all"],
                                                                   "content": ["subject": "Hi", "text": "Hello"]], token: token)
        }
        let none = try await email()
        #expect(none.status == 409 && none.string("error", "details", "field") == "from", "\(none.body)")
        let noCampaign = try await campaign()
        #expect(noCampaign.status == 409 && noCampaign.string("error", "details", "field") == "content.from", "\(noCampaign.body)")

        try await SendingDomainTests.verifiedDomain("desk.test", api, token: token, dns: dns)
        #expect(try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "simulated", "default_from": "Desk <news@desk.test>"],
                                   token: token).status == 200)
        let sent = try await email()
        #expect(sent.status == 201 && sent.string("from") == "Desk <news@desk.test>", "\(sent.body)")
        let news = try await campaign()
        #expect(news.status == 201 && news.string("content", "from") == "Desk <news@desk.test>", "\(news.body)")

        let domain = try #require(try await api.call("GET", "/api/v1/email/domains", token: token)["data"]?.arrayValue?.first?["id"]?.stringValue)
        #expect(try await api.call("DELETE", "/api/v1/email/domains/\(domain)", token: token).status == 204)
        let gone = try await email()
        #expect(gone.status == 409 && gone.string("error", "details", "field") == "default_from" && gone.string("error", "details", "domain") == "desk.test",
                "\(gone.body)")
    }

    // MARK: - Resend's domain API

    static func requests(_ stub: StubServer, after count: Int = 0) async throws -> [String] {
        try await stub.requests().dropFirst(count).map { "\($0["method"] as? String ?? "") \($0["path"] as? String ?? "")" }
    }

    /// A host that checks DNS at `dns` and reaches Resend at `stub`, and its owner's token, the workspace
    /// sending through Resend.
    static func resendWorkspace(_ stub: StubServer, _ dns: DNSTestServer, owner: String) async throws -> (WorkerTestHost, String) {
        let api = try await APIHost.start(vars: vars(dns, ["RESEND_API_BASE": "http://127.0.0.1:\(stub.port)"]))
        let token = try #require(try await api.signUp(owner).string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "resend", "resend_api_key": .string(ResendClientTests.apiKey)],
                                   token: token).status == 200)
        return (api, token)
    }

    /// Resend verified the domain while our DNS check found it unpublished (failed); published, it is
    /// checked again while Resend cannot be reached: Resend's last word (verified) and DNS make it verified.
    @Test func resendUnreachableKeepsItsLastWord() async throws {
        let stub = try await ResendClientTests.stub()
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let (api, token) = try await Self.resendWorkspace(stub, dns, owner: "resend-down@example.com")
        defer { Task { await api.stop() } }
        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": "down.brand.test"], token: token)
        let id = try #require(added.string("id"), "\(added.body)")
        let unpublished = try await api.call("POST", "/api/v1/email/domains/\(id)/verify", token: token)
        #expect(unpublished.string("status") == "failed", "\(unpublished.body)")

        try dns.serve(SendingDomainTests.published(added.json["records"]?.arrayValue ?? []))
        stub.process.stop()
        try await api.database("api").prepare("UPDATE email_domains SET next_check_ms = 0 WHERE id = ?").bind(id).run()
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        try await #require(worker.domains.lazy.compactMap { $0 as? EmailDomainsDomain }.first).maintain()
        var domain = TestResponse(status: 0, body: "")
        _ = try await Poll.until {
            domain = try await api.call("GET", "/api/v1/email/domains/\(id)", token: token)
            return domain.string("status") == "verified"
        }
        #expect(domain.string("status") == "verified", "\(domain.body)")
        #expect(Set(SendingDomainTests.checks(domain).values.map(\.status)) == ["verified"], "\(domain.body)")
    }

    @Test func providerStatusFromTheRecords() {
        func record(_ required: Bool, _ said: String?) -> DomainRecord {
            var record = DomainRecord(kind: required ? .spf : .dmarc, type: "TXT", name: "x.test", value: "v", required: required)
            record.provider_status = said
            return record
        }
        #expect(SendingDomain.providerStatus(of: [record(true, nil), record(false, nil)]) == nil)
        #expect(SendingDomain.providerStatus(of: [record(true, "verified"), record(true, "verified"), record(false, nil)]) == "verified")
        #expect(SendingDomain.providerStatus(of: [record(true, "verified"), record(true, "pending")]) == "pending")
        #expect(SendingDomain.providerStatus(of: [record(true, "verified"), record(true, nil)]) == "pending")
        #expect(SendingDomain.providerStatus(of: [record(true, "failed"), record(true, "verified")]) == "failed")
    }

    /// On Resend a domain is added in the workspace's Resend account: Resend's id and records are kept
    /// (no key pair of ours), with our DMARC advice. Verifying asks Resend to verify, reads its status and
    /// checks the records by DNS too: verified only when both say so. Deleting removes it at Resend.
    @Test func resendDomainsGoThroughResendsAPI() async throws {
        let stub = try await ResendClientTests.stub()
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let (api, token) = try await Self.resendWorkspace(stub, dns, owner: "resend-domains@example.com")
        defer { Task { await api.stop() } }

        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": "Mail.Brand.test", "region": "eu-west-1"], token: token)
        #expect(added.status == 201 && added.string("provider") == "resend" && added.string("status") == "pending", "\(added.body)")
        #expect(added.json["dkim_selector"] == nil)
        let requests = try await stub.requests()
        #expect(requests.count == 1, "\(requests)")
        let create = try #require(requests.first)
        #expect(create["method"] as? String == "POST" && create["path"] as? String == "/domains")
        #expect(create["authorization"] as? String == "Bearer \(ResendClientTests.apiKey)" && create["content_type"] as? String == "application/json")
        #expect(create["body"] as? NSDictionary == ["name": "mail.brand.test", "region": "eu-west-1"] as NSDictionary, "\(create)")
        let resendID = try #require(added.string("provider_domain_id"))
        let id = try #require(added.string("id"))
        let records = try #require(added.json["records"]?.arrayValue)
        let dkim = try #require(records.first { $0["kind"] == "dkim" }?["value"]?.stringValue)
        #expect(dkim.hasPrefix("p=") && dkim.count > 100)
        // Resend's records by their full names, SPF unquoted; its tracking CNAME is not ours to publish.
        #expect(records.map { "\($0["kind"]!.stringValue!) \($0["type"]!.stringValue!) \($0["name"]!.stringValue!) \($0["value"]!.stringValue!) \($0["required"]!)" } == [
            "mx MX send.mail.brand.test feedback-smtp.eu-west-1.amazonses.com \(JSONValue.bool(true))",
            "spf TXT send.mail.brand.test v=spf1 include:amazonses.com ~all \(JSONValue.bool(true))",
            "dkim TXT resend._domainkey.mail.brand.test \(dkim) \(JSONValue.bool(true))",
            "dmarc TXT _dmarc.mail.brand.test v=DMARC1; p=none; rua=mailto:dmarc@mail.brand.test \(JSONValue.bool(false))",
        ])
        #expect(records[0]["priority"] == 10)
        let stored = try await api.database("api").prepare("SELECT dkim_key_sealed FROM email_domains WHERE id = ?").bind(id).first()
        #expect(stored != nil && stored?.text("dkim_key_sealed") == nil, "Resend signs: no key of ours")
        // Not yet a sender.
        let early = try await api.call("POST", "/api/v1/emails", json: ["to": "a@example.org", "from": "news@mail.brand.test", "subject": "Hi", "text": "Hi"],
                                       token: token)
        #expect(early.status == 409, "\(early.body)")

        // Resend says verified, but nothing is published yet: our DNS check fails it, record by record.
        let unpublished = try await api.call("POST", "/api/v1/email/domains/\(id)/verify", token: token)
        #expect(try await Self.requests(stub, after: 1) == ["POST /domains/\(resendID)/verify", "GET /domains/\(resendID)"])
        #expect(unpublished.string("status") == "failed", "\(unpublished.body)")
        let checks = SendingDomainTests.checks(unpublished)
        #expect(checks["dkim"]?.status == "missing" && checks["spf"]?.status == "missing" && checks["mx"]?.status == "missing", "\(unpublished.body)")
        #expect(unpublished.json["records"]?.arrayValue?.first?["provider_status"] == "verified")

        try dns.serve(SendingDomainTests.published(records))
        let verified = try await api.call("POST", "/api/v1/email/domains/\(id)/verify", token: token)
        #expect(verified.string("status") == "verified", "\(verified.body)")
        #expect(Set(SendingDomainTests.checks(verified).values.map(\.status)) == ["verified"], "\(verified.body)")
        let sent = try await api.call("POST", "/api/v1/emails", json: ["to": "a@example.org", "from": "News <news@mail.brand.test>", "subject": "Hi",
                                                                       "text": "Hi", "scheduled_at": .string(SQLDate.format(Date().addingTimeInterval(30 * 86_400)))], token: token)
        #expect(sent.status == 201, "\(sent.body)")

        // Published right, but Resend failed it: failed, with Resend's word on each record.
        let failing = try await api.call("POST", "/api/v1/email/domains", json: ["name": "failing.brand.test"], token: token)
        let failingID = try #require(failing.string("id"), "\(failing.body)")
        #expect(try await stub.requests().last?["body"] as? NSDictionary == ["name": "failing.brand.test", "region": "us-east-1"] as NSDictionary)
        try dns.serve(SendingDomainTests.published(records + (failing.json["records"]?.arrayValue ?? [])))
        let refused = try await api.call("POST", "/api/v1/email/domains/\(failingID)/verify", token: token)
        let first = refused.json["records"]?.arrayValue?.first
        #expect(refused.string("status") == "failed" && first?["status"] == "verified" && first?["provider_status"] == "failed", "\(refused.body)")

        // DKIM as Resend answers some accounts: aliases of keys Resend keeps, checked as CNAMEs.
        let aliased = try await api.call("POST", "/api/v1/email/domains", json: ["name": "cname.brand.test"], token: token)
        let aliases = (aliased.json["records"]?.arrayValue ?? []).filter { $0["kind"] == "dkim" }
        #expect(aliases.count == 3 && aliases.allSatisfy { $0["type"] == "CNAME" && $0["value"]?.stringValue?.hasSuffix(".dkim.amazonses.com.") == true
                                                           && $0["name"]?.stringValue?.hasSuffix("._domainkey.cname.brand.test") == true }, "\(aliased.body)")
        var zone = SendingDomainTests.published(aliased.json["records"]?.arrayValue ?? [])
        zone[try #require(aliases[2]["name"]?.stringValue)] = ["CNAME": "elsewhere.example."]
        try dns.serve(zone)
        let aliasedID = try #require(aliased.string("id"))
        let wrongAlias = try await api.call("POST", "/api/v1/email/domains/\(aliasedID)/verify", token: token)
        let dkims = (wrongAlias.json["records"]?.arrayValue ?? []).filter { $0["kind"] == "dkim" }
            .map { "\($0["status"]?.stringValue ?? "") \($0["found"]?.arrayValue?.compactMap(\.stringValue) ?? [])" }
        #expect(wrongAlias.string("status") == "failed" && dkims.prefix(2).allSatisfy { $0.hasPrefix("verified") }
                && dkims.last?.hasPrefix("wrong") == true && dkims.last?.contains("elsewhere.example") == true, "\(wrongAlias.body)")
        try dns.serve(SendingDomainTests.published(aliased.json["records"]?.arrayValue ?? []))
        #expect(try await api.call("POST", "/api/v1/email/domains/\(aliasedID)/verify", token: token).string("status") == "verified")

        // Twice is refused here, before Resend is asked.
        let before = try await stub.requests().count
        #expect(try await api.call("POST", "/api/v1/email/domains", json: ["name": "mail.brand.test"], token: token).status == 409)
        #expect(try await stub.requests().count == before)

        // Deleted here and at Resend: it can be added again.
        #expect(try await api.call("DELETE", "/api/v1/email/domains/\(id)", token: token).status == 204)
        #expect(try await Self.requests(stub, after: before) == ["DELETE /domains/\(resendID)"])
        let again = try await api.call("POST", "/api/v1/email/domains", json: ["name": "mail.brand.test"], token: token)
        #expect(again.status == 201 && again.string("provider_domain_id") != resendID, "\(again.body)")

        // The daily re-check reads Resend's status without asking it to verify again.
        let againResendID = try #require(again.string("provider_domain_id"))
        let count = try await stub.requests().count
        try await api.database("api").prepare("UPDATE email_domains SET next_check_ms = 0 WHERE id = ?").bind(try #require(again.string("id"))).run()
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        try await #require(worker.domains.lazy.compactMap { $0 as? EmailDomainsDomain }.first).maintain()
        #expect(try await Poll.until { try await Self.requests(stub, after: count).contains("GET /domains/\(againResendID)") })
        #expect(try await Self.requests(stub, after: count) == ["GET /domains/\(againResendID)"])

        // A domain the Resend account has already (added from its dashboard) is taken as it is.
        let dashboard = try await Subprocess.curl(["-X", "POST", "-H", "Authorization: Bearer \(ResendClientTests.apiKey)", "-H", "Content-Type: application/json",
                                                   "-d", #"{"name":"dashboard.brand.test"}"#, "http://127.0.0.1:\(stub.port)/domains"])
        let dashboardID = try #require((try JSONValue(jsonBytes: Array(dashboard.stdout.utf8)))["id"]?.stringValue)
        let adoptedAt = try await stub.requests().count
        let adopted = try await api.call("POST", "/api/v1/email/domains", json: ["name": "dashboard.brand.test"], token: token)
        #expect(adopted.status == 201 && adopted.string("provider_domain_id") == dashboardID && adopted.json["records"]?.arrayValue?.count == 4, "\(adopted.body)")
        #expect(try await Self.requests(stub, after: adoptedAt) == ["POST /domains", "GET /domains?limit=100", "GET /domains/\(dashboardID)"])

        // Resend's refusal is a conflict carrying its message.
        #expect(try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "resend", "resend_api_key": "re_not_this_account"],
                                   token: token).status == 200)
        let wrongKey = try await api.call("POST", "/api/v1/email/domains", json: ["name": "other.brand.test"], token: token)
        #expect(wrongKey.status == 409 && wrongKey.body.contains("Missing API key") && wrongKey.json["error"]?["details"]?["resend_status"] == 401,
                "\(wrongKey.body)")
        #expect(try await api.call("GET", "/api/v1/email/domains", token: token)["data"]?.arrayValue?.count == 4)
    }
}
