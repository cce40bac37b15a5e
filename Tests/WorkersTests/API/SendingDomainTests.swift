@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Sending domains: the records a domain must publish, and their checks by real DNS queries against a
/// local name server (Tests/clients/dns_server.py) serving right, wrong and missing records of each kind.
@Suite struct SendingDomainTests {
    // MARK: - Checks, without DNS

    static func txt(_ values: String...) -> DNSAnswer {
        .found(values.map { DNSRecord(name: "x", ttl: 60, data: .txt([$0])) })
    }

    @Test func spfChecks() {
        let expected = "v=spf1 include:amazonses.com ~all"
        #expect(DomainRecordCheck.spf(expected: expected, ["v=spf1 include:amazonses.com ~all"]) == (.verified, ["v=spf1 include:amazonses.com ~all"]))
        #expect(DomainRecordCheck.spf(expected: expected, ["google-site-verification=x", "V=SPF1 ip4:192.0.2.1 +include:AmazonSES.com -all"]).0 == .verified)
        #expect(DomainRecordCheck.spf(expected: expected, ["v=spf1 include:_spf.google.com ~all"]) == (.wrong, ["v=spf1 include:_spf.google.com ~all"]))
        #expect(DomainRecordCheck.spf(expected: expected, ["v=spf1 include:amazonses.com.evil ~all"]).0 == .wrong)
        // Two SPF policies make every SPF check fail (permerror), whatever they say.
        #expect(DomainRecordCheck.spf(expected: expected, ["v=spf1 include:amazonses.com ~all", "v=spf1 -all"]).0 == .wrong)
        #expect(DomainRecordCheck.spf(expected: expected, ["v=spf10 include:amazonses.com", "other"]) == (.missing, []))
        #expect(DomainRecordCheck.spf(expected: expected, []) == (.missing, []))
    }

    @Test func dkimChecks() {
        let expected = "v=DKIM1; k=rsa; p=MIIBIjANBgkq"
        #expect(DomainRecordCheck.dkim(expected: expected, ["v=DKIM1; k=rsa; p=MIIBIjANBgkq"]).0 == .verified)
        // Folded with spaces, tags in another order, Resend's bare p=.
        #expect(DomainRecordCheck.dkim(expected: expected, ["k=rsa;v=DKIM1;  p = MIIBIj ANBgkq "]).0 == .verified)
        #expect(DomainRecordCheck.dkim(expected: "p=MIGfMA0", ["p=MIGfMA0"]).0 == .verified)
        #expect(DomainRecordCheck.dkim(expected: expected, ["v=DKIM1; k=rsa; p=OTHERKEY"]) == (.wrong, ["v=DKIM1; k=rsa; p=OTHERKEY"]))
        #expect(DomainRecordCheck.dkim(expected: expected, ["v=DKIM1; k=rsa; p="]).0 == .wrong)
        #expect(DomainRecordCheck.dkim(expected: expected, ["some other text"]).0 == .wrong)
        #expect(DomainRecordCheck.dkim(expected: expected, []) == (.missing, []))
    }

    @Test func dmarcChecks() {
        #expect(DomainRecordCheck.dmarc(["v=DMARC1; p=none; rua=mailto:d@example.com"]).0 == .verified)
        #expect(DomainRecordCheck.dmarc(["v=DMARC1;p=reject"]).0 == .verified)
        #expect(DomainRecordCheck.dmarc(["v=DMARC1; rua=mailto:d@example.com; p=none"]).0 == .wrong)
        #expect(DomainRecordCheck.dmarc(["v=DMARC1; p=sometimes"]).0 == .wrong)
        #expect(DomainRecordCheck.dmarc(["v=DMARC1; p=none", "v=DMARC1; p=reject"]).0 == .wrong)
        #expect(DomainRecordCheck.dmarc(["v=spf1 -all"]) == (.missing, []))
    }

    @Test func mxChecks() {
        func mx(_ hosts: (UInt16, String)...) -> [DNSRecord] { hosts.map { DNSRecord(name: "x", ttl: 60, data: .mx(preference: $0.0, exchange: $0.1)) } }
        let expected = "feedback-smtp.us-east-1.amazonses.com"
        #expect(DomainRecordCheck.mx(expected: expected, mx((10, "Feedback-SMTP.us-east-1.amazonses.com."), (20, "backup.example.com"))).0 == .verified)
        #expect(DomainRecordCheck.mx(expected: expected, mx((10, "mx.example.com"))) == (.wrong, ["10 mx.example.com"]))
        #expect(DomainRecordCheck.mx(expected: expected, []) == (.missing, []))
    }

    @Test func cnameChecks() {
        func cname(_ targets: String...) -> [DNSRecord] { targets.map { DNSRecord(name: "x", ttl: 60, data: .cname($0)) } }
        let expected = "abc.dkim.amazonses.com."
        #expect(DomainRecordCheck.cname(expected: expected, cname("ABC.dkim.amazonses.com")).0 == .verified)
        #expect(DomainRecordCheck.cname(expected: expected, cname("abd.dkim.amazonses.com.")) == (.wrong, ["abd.dkim.amazonses.com."]))
        #expect(DomainRecordCheck.cname(expected: expected, []) == (.missing, []))
        let record = DomainRecord(kind: .dkim, type: "CNAME", name: "abc._domainkey.example.com", value: expected, required: true)
        #expect(DomainRecordCheck.type(of: record) == .cname)
    }

    @Test func domainStatusWaitsOnRequiredRecords() {
        func record(_ kind: DomainRecord.Kind, _ status: DomainRecord.Status, required: Bool = true) -> DomainRecord {
            var record = DomainRecord(kind: kind, type: "TXT", name: "x", value: "v", required: required)
            record.status = status
            return record
        }
        #expect(SendingDomain.status(of: [record(.spf, .verified), record(.dkim, .verified), record(.dmarc, .missing, required: false)], was: .pending) == .verified)
        #expect(SendingDomain.status(of: [record(.spf, .verified), record(.dkim, .wrong)], was: .verified) == .failed)
        #expect(SendingDomain.status(of: [record(.spf, .pending), record(.dkim, .verified)], was: .verified) == .verified)
        #expect(SendingDomain.status(of: [record(.spf, .pending), record(.dkim, .verified)], was: .pending) == .pending)
    }

    @Test func domainNames() throws {
        #expect(try DomainName.normalize(" Mail.Example.COM. ").get() == "mail.example.com")
        #expect(try DomainName.normalize("xn--bcher-kva.example").get() == "xn--bcher-kva.example")
        for bad in ["example", "exa mple.com", "-x.example.com", "x-.example.com", "a..b.com", "bü cher.example", "bücher.example",
                    "192.0.2.1", "_dmarc.example.com", String(repeating: "a", count: 64) + ".com", String(repeating: "a.", count: 101) + "com", ""] {
            #expect(throws: APIError.self, "\(bad)") { try DomainName.normalize(bad).get() }
        }
    }

    @Test func recipes() {
        let simulated = DomainRecipe(provider: "simulated", spfInclude: "amazonses.com", bounceMX: "feedback-smtp.us-east-1.amazonses.com")
            .records(for: "example.com", selector: "ozzi", publicKey: "KEY")
        #expect(simulated.map { "\($0.kind) \($0.type) \($0.name) \($0.value) \($0.priority.map(String.init) ?? "-") \($0.required)" } == [
            "spf TXT send.example.com v=spf1 include:amazonses.com ~all - true",
            "dkim TXT ozzi._domainkey.example.com v=DKIM1; k=rsa; p=KEY - true",
            "dmarc TXT _dmarc.example.com v=DMARC1; p=none; rua=mailto:dmarc@example.com - false",
            "mx MX send.example.com feedback-smtp.us-east-1.amazonses.com 10 false",
        ])
        // Over SMTP the envelope sender is the From address: SPF at the domain itself, no bounce MX of ours.
        let smtp = DomainRecipe(provider: "smtp", spfInclude: "_spf.relay.example", bounceMX: nil).records(for: "example.com", selector: "ozzi", publicKey: "KEY")
        #expect(smtp.map(\.name) == ["example.com", "ozzi._domainkey.example.com", "_dmarc.example.com"])
        #expect(smtp[0].value == "v=spf1 include:_spf.relay.example ~all")
    }

    // MARK: - Routes, against a name server

    /// The zone that publishes `records` as asked.
    static func published(_ records: [JSONValue]) -> [String: [String: Any]] {
        var zone: [String: [String: Any]] = [:]
        for record in records {
            let name = record["name"]!.stringValue!, value = record["value"]!.stringValue!
            if record["type"]?.stringValue == "CNAME" {
                zone[name, default: [:]]["CNAME"] = value
            } else if record["type"]?.stringValue == "MX" {
                zone[name, default: [:]]["MX", default: [Any]()] = (zone[name]?["MX"] as? [Any] ?? []) + [[Int(record["priority"]?.numberValue ?? 10), value]]
            } else {
                zone[name, default: [:]]["TXT"] = (zone[name]?["TXT"] as? [Any] ?? []) + [value]
            }
        }
        return zone
    }

    /// Adds `name` to the workspace, publishes its records on `dns` (in place of what it served) and
    /// verifies it: a domain a workspace on Resend or SMTP may send from.
    static func verifiedDomain(_ name: String, _ api: WorkerTestHost, token: String, dns: DNSTestServer,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": .string(name), "spf_include": "_spf.relay.example"], token: token)
        try dns.serve(published(try #require(added.json["records"]?.arrayValue, "\(added.body)", sourceLocation: sourceLocation)))
        let verified = try await api.call("POST", "/api/v1/email/domains/\(try #require(added.string("id")))/verify", token: token)
        #expect(verified.string("status") == "verified", "\(verified.body)", sourceLocation: sourceLocation)
    }

    /// `records` by kind: status and what was found.
    static func checks(_ domain: TestResponse) -> [String: (status: String, found: [String])] {
        var checks: [String: (String, [String])] = [:]
        for record in domain.json["records"]?.arrayValue ?? [] {
            checks[record["kind"]?.stringValue ?? ""] = (record["status"]?.stringValue ?? "", record["found"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        return checks
    }

    static func events(_ api: WorkerTestHost) async throws -> [String] {
        try await api.database("api").prepare("SELECT type, data FROM workspace_events WHERE type LIKE 'email_domain.%' ORDER BY seq").all()
            .map { "\($0.text("type") ?? "") \($0.text("data") ?? "")" }
    }

    @Test func rightWrongAndMissingRecordsOfEachKind() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: ["DNS_SERVER": dns.address.description, "DNS_TIMEOUT_MS": "1000"])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("domains@example.com").string("access_token"))

        var added: [String: TestResponse] = [:]
        for name in ["right.test", "wrong.test", "missing.test"] {
            let domain = try await api.call("POST", "/api/v1/email/domains", json: ["name": .string(name.uppercased())], token: token)
            #expect(domain.status == 201 && domain.string("name") == name && domain.string("status") == "pending", "\(domain.body)")
            added[name] = domain
        }
        let right = try #require(added["right.test"]), rightID = try #require(right.string("id"))
        let records = try #require(right.json["records"]?.arrayValue)
        #expect(records.map { "\($0["kind"]!.stringValue!) \($0["name"]!.stringValue!) \($0["status"]!.stringValue!)" } == [
            "spf send.right.test pending", "dkim ozzi._domainkey.right.test pending", "dmarc _dmarc.right.test pending", "mx send.right.test pending",
        ])
        let dkim = try #require(records[1]["value"]?.stringValue)
        // A 2048-bit key's SubjectPublicKeyInfo: longer than one TXT character-string, so DNS serves it in two.
        #expect(dkim.hasPrefix("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA") && dkim.utf8.count > 255)

        var zone = Self.published(records)
        zone.merge(Self.published(try #require(added["wrong.test"]?.json["records"]?.arrayValue)).mapValues { _ in [:] }) { $1 }
        zone["send.wrong.test"] = ["TXT": ["v=spf1 include:_spf.elsewhere.example ~all"], "MX": [[10, "mx.elsewhere.example"]]]
        zone["ozzi._domainkey.wrong.test"] = ["TXT": [dkim]]  // right.test's key, not wrong.test's
        zone["_dmarc.wrong.test"] = ["TXT": ["v=DMARC1; rua=mailto:x@wrong.test"]]
        zone["missing.test"] = ["TXT": ["v=spf1 include:amazonses.com ~all"]]  // at the apex, not on send.
        try dns.serve(zone)

        let verified = try await api.call("POST", "/api/v1/email/domains/\(rightID)/verify", token: token)
        #expect(verified.status == 200 && verified.string("status") == "verified" && verified.string("verified_at") != nil, "\(verified.body)")
        let rightChecks = Self.checks(verified)
        #expect(rightChecks.mapValues(\.status) == ["spf": "verified", "dkim": "verified", "dmarc": "verified", "mx": "verified"])
        #expect(rightChecks["dkim"]?.found == [dkim] && rightChecks["mx"]?.found == ["10 feedback-smtp.us-east-1.amazonses.com"])

        let wrong = try await api.call("POST", "/api/v1/email/domains/\(added["wrong.test"]!.string("id")!)/verify", token: token)
        #expect(wrong.string("status") == "failed", "\(wrong.body)")
        let wrongChecks = Self.checks(wrong)
        #expect(wrongChecks.mapValues(\.status) == ["spf": "wrong", "dkim": "wrong", "dmarc": "wrong", "mx": "wrong"])
        #expect(wrongChecks["spf"]?.found == ["v=spf1 include:_spf.elsewhere.example ~all"] && wrongChecks["dkim"]?.found == [dkim])
        #expect(wrongChecks["dmarc"]?.found == ["v=DMARC1; rua=mailto:x@wrong.test"] && wrongChecks["mx"]?.found == ["10 mx.elsewhere.example"])

        let missing = try await api.call("POST", "/api/v1/email/domains/\(added["missing.test"]!.string("id")!)/verify", token: token)
        #expect(missing.string("status") == "failed", "\(missing.body)")
        #expect(Self.checks(missing).mapValues(\.status) == ["spf": "missing", "dkim": "missing", "dmarc": "missing", "mx": "missing"])
        #expect(Self.checks(missing).values.allSatisfy { $0.found.isEmpty })

        // The answers are kept: a GET shows the last check, the list has all three.
        #expect(Self.checks(try await api.call("GET", "/api/v1/email/domains/\(rightID)", token: token))["dkim"]?.status == "verified")
        let list = try await api.call("GET", "/api/v1/email/domains", token: token)
        #expect(list.data.compactMap { $0["name"]?.stringValue } == ["missing.test", "right.test", "wrong.test"], "\(list.body)")

        // wrong.test publishes its own records: verified, and the event says so.
        var fixed = zone
        fixed.merge(Self.published(try #require(added["wrong.test"]?.json["records"]?.arrayValue))) { $1 }
        try dns.serve(fixed)
        let now = try await api.call("POST", "/api/v1/email/domains/\(added["wrong.test"]!.string("id")!)/verify", token: token)
        #expect(now.string("status") == "verified", "\(now.body)")
        let events = try await Self.events(api)
        #expect(events.count == 4, "\(events)")
        #expect(events.map { $0.split(separator: " ")[0] } == ["email_domain.verified", "email_domain.failed", "email_domain.failed", "email_domain.verified"])
        #expect(events[1].contains(#""failing":["spf","dkim"]"#) && events[1].contains(#""name":"wrong.test""#), "\(events[1])")
        // Checking again without a change records no event.
        _ = try await api.call("POST", "/api/v1/email/domains/\(rightID)/verify", token: token)
        #expect(try await Self.events(api).count == 4)
    }

    @Test func dailyRecheckInMaintenance() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(vars: ["DNS_SERVER": dns.address.description, "DNS_TIMEOUT_MS": "1000"], clock: clock)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("daily@example.com")
        // An API key: access tokens expire as the clock moves days ahead.
        let token = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "daily"], token: signup.string("access_token")).string("key"))
        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": "daily.test"], token: token)
        let id = try #require(added.string("id"))
        let zone = Self.published(try #require(added.json["records"]?.arrayValue))
        try dns.serve(zone)
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let domains = try #require(worker.domains.lazy.compactMap { $0 as? EmailDomainsDomain }.first)

        // Not due before a day has passed: nothing is asked.
        clock.advance(byMilliseconds: 23 * 3_600_000)
        try await domains.maintain()
        #expect(dns.queries.isEmpty)
        clock.advance(byMilliseconds: 2 * 3_600_000)
        try await domains.maintain()
        let rechecked = try await api.call("GET", "/api/v1/email/domains/\(id)", token: token)
        #expect(rechecked.string("status") == "verified", "\(rechecked.body)")
        #expect(Set(try await dns.queries(atLeast: 4)) == ["udp send.daily.test TXT", "udp send.daily.test MX", "udp ozzi._domainkey.daily.test TXT", "udp _dmarc.daily.test TXT"])

        // The DKIM record is taken down: the next day's check fails the domain, once.
        var broken = zone
        broken["ozzi._domainkey.daily.test"] = nil
        try dns.serve(broken)
        try await domains.maintain()
        #expect(try await api.call("GET", "/api/v1/email/domains/\(id)", token: token).string("status") == "verified")
        clock.advance(byMilliseconds: 24 * 3_600_000 + 1)
        try await domains.maintain()
        let failed = try await api.call("GET", "/api/v1/email/domains/\(id)", token: token)
        #expect(failed.string("status") == "failed" && Self.checks(failed)["dkim"]?.status == "missing", "\(failed.body)")
        // (The host's own sweep, run by its cron as the clock jumps, may have dropped the day-old verified event.)
        let events = try await Self.events(api).map { $0.split(separator: " ")[0] }
        #expect(events.suffix(1) == ["email_domain.failed"] && events.filter { $0 == "email_domain.failed" }.count == 1, "\(events)")
        let scope = TenantScope(workspaceID: try #require(signup.string("user", "personal_workspace_id")))
        #expect(try await !domains.domains.allowedFrom(scope, address: "news@daily.test", provider: "smtp"))
    }

    /// A name server that does not answer leaves each record's status as it was, with the reason, and
    /// the domain pending: an outage is not a missing record.
    @Test func unreachableNameServerIsNotMissing() async throws {
        let api = try await APIHost.start(vars: ["DNS_SERVER": "127.0.0.1:\(try freeLoopbackPort())", "DNS_TIMEOUT_MS": "1000"])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("outage@example.com").string("access_token"))
        let id = try #require(try await api.call("POST", "/api/v1/email/domains", json: ["name": "outage.test"], token: token).string("id"))
        let checked = try await api.call("POST", "/api/v1/email/domains/\(id)/verify", token: token)
        #expect(checked.status == 200 && checked.string("status") == "pending" && checked.string("checked_at") == nil, "\(checked.body)")
        for record in checked.json["records"]?.arrayValue ?? [] {
            #expect(record["status"]?.stringValue == "pending" && record["error"]?.stringValue?.contains("cannot reach the name server") == true, "\(record)")
        }
        #expect(try await Self.events(api).isEmpty)
    }

    @Test func sendingRulesAndKeys() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let api = try await APIHost.start(vars: ["DNS_SERVER": dns.address.description, "EMAIL_SANDBOX_DOMAIN": "Sandbox.Example.test"])
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("rules@example.com")
        let token = try #require(signup.string("access_token"))
        let scope = TenantScope(workspaceID: try #require(signup.string("user", "personal_workspace_id")))
        let other = TenantScope(workspaceID: try #require(try await api.signUp("other@example.com").string("user", "personal_workspace_id")))
        let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": "rules.test"], token: token)
        try dns.serve(Self.published(try #require(added.json["records"]?.arrayValue)))
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let domains = try #require(worker.domains.lazy.compactMap { $0 as? EmailDomainsDomain }.first).domains

        #expect(try await !domains.allowedFrom(scope, address: "news@rules.test", provider: "smtp"))
        _ = try await api.call("POST", "/api/v1/email/domains/\(try #require(added.string("id")))/verify", token: token)
        #expect(try await domains.allowedFrom(scope, address: "\"Rules, Inc\" <News@Rules.TEST>", provider: "smtp"))
        #expect(try await domains.allowedFrom(scope, address: "news@rules.test", provider: "simulated"))
        #expect(try await !domains.allowedFrom(scope, address: "news@sub.rules.test", provider: "smtp"))
        #expect(try await !domains.allowedFrom(other, address: "news@rules.test", provider: "smtp"))
        // The sandbox domain needs no DNS, for the simulated provider only.
        #expect(try await domains.allowedFrom(other, address: "hello@sandbox.example.test", provider: "simulated"))
        #expect(try await !domains.allowedFrom(other, address: "hello@sandbox.example.test", provider: "resend"))
        #expect(try await !domains.allowedFrom(scope, address: "not an address", provider: "simulated"))

        // The key signs what the published record verifies.
        let signers = try await domains.store.dkimSigners(scope)
        let signer = try #require(signers.first)
        #expect(signers.count == 1 && signer.domain == "rules.test" && signer.selector == "ozzi" && signer.key.bits == 2048)
        let published = added.json["records"]?.arrayValue?.first { $0["kind"]?.stringValue == "dkim" }?["value"]?.stringValue
        #expect(published == signer.dnsRecord)
        #expect(try await domains.store.dkimSigners(other).isEmpty)
        // Sealed at rest: the stored column holds no PEM.
        let stored = try await api.database("api").prepare("SELECT dkim_key_sealed FROM email_domains").first()?.text("dkim_key_sealed")
        #expect(stored != nil && stored?.contains("PRIVATE KEY") == false && Base64.decode(stored ?? "").map { String(decoding: $0, as: UTF8.self).contains("PRIVATE") } == false)

        // Deleting the domain takes its key.
        let deleted = try await api.call("DELETE", "/api/v1/email/domains/\(added.string("id")!)", token: token)
        #expect(deleted.status == 204)
        #expect(try await domains.store.dkimSigners(scope).isEmpty)
        #expect(try await !domains.allowedFrom(scope, address: "news@rules.test", provider: "smtp"))
    }

    /// `POST /emails` and email campaigns take a From on a verified domain of the workspace; on the
    /// simulated provider the sandbox domain too. A refused sender is a 409 naming the field: the same body
    /// passes once the domain is verified.
    @Test func sendersOnVerifiedDomainsOnly() async throws {
        let dns = try await DNSTestServer(zone: [:])
        defer { dns.stop() }
        let resend = try await ResendClientTests.stub()
        let api = try await APIHost.start(vars: ["DNS_SERVER": dns.address.description, "DNS_TIMEOUT_MS": "1000",
                                                 "RESEND_API_BASE": "http://127.0.0.1:\(resend.port)"])
        defer { Task { await api.stop() } }
        // Due in a month: nothing reaches a provider while the test runs.
        let later = JSONValue.string(SQLDate.format(Date().addingTimeInterval(30 * 86_400)))
        func email(_ token: String, from: String) async throws -> TestResponse {
            try await api.call("POST", "/api/v1/emails", json: ["to": "reader@example.com", "from": .string(from), "subject": "Hi", "text": "Hello",
                                                                "scheduled_at": later], token: token)
        }
        func content(_ from: String) -> JSONValue { ["from": .string(from), "subject": "News", "text": "Hello"] }
        func campaign(_ token: String, from: String) async throws -> TestResponse {
            try await api.call("POST", "/api/v1/campaigns", json: ["name": "News", "channel": "email", "audience": ["type": "all"], "content": content(from)],
                               token: token)
        }
        func refused(_ answer: TestResponse, naming field: String, _ domain: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.status == 409 && answer.string("error", "details", "field") == field && answer.string("error", "details", "domain") == domain,
                    "\(answer.body)", sourceLocation: sourceLocation)
        }

        // The simulated provider (the default): the sandbox domain needs no DNS; any other is refused until verified.
        let simulated = try #require(try await api.signUp("simulated@example.com").string("access_token"))
        #expect(try await email(simulated, from: "Acme <hello@Sandbox.Ozzi.test>").status == 201)
        #expect(try await campaign(simulated, from: "news@sandbox.ozzi.test").status == 201)
        refused(try await email(simulated, from: "hello@acme.test"), naming: "from", "acme.test")
        refused(try await campaign(simulated, from: "Acme <hello@acme.test>"), naming: "content.from", "acme.test")

        var zone: [String: [String: Any]] = [:]
        for (provider, settings) in [("resend", ["provider": "resend", "resend_api_key": .string(ResendClientTests.apiKey)]),
                                     ("smtp", ["provider": "smtp", "smtp_host": "relay.example"])] as [(String, JSONValue)] {
            let token = try #require(try await api.signUp("\(provider)@example.com").string("access_token"))
            let saved = try await api.call("PUT", "/api/v1/email/settings", json: settings, token: token)
            #expect(saved.status == 200, "\(saved.body)")
            // Off the simulated provider the sandbox is no sender.
            refused(try await email(token, from: "hello@sandbox.ozzi.test"), naming: "from", "sandbox.ozzi.test")

            let name = "\(provider)-sender.test"
            if provider == "smtp" {
                // The relay's SPF include is needed because of the workspace's settings: a conflict naming the field.
                let bare = try await api.call("POST", "/api/v1/email/domains", json: ["name": .string(name)], token: token)
                #expect(bare.status == 409 && bare.string("error", "details", "field") == "spf_include", "\(bare.body)")
            }
            let added = try await api.call("POST", "/api/v1/email/domains", json: ["name": .string(name), "spf_include": "_spf.relay.example"], token: token)
            #expect(added.status == 201 && added.string("provider") == provider, "\(added.body)")
            refused(try await email(token, from: "News <news@\(name)>"), naming: "from", name)
            refused(try await campaign(token, from: "news@\(name)"), naming: "content.from", name)

            zone.merge(Self.published(try #require(added.json["records"]?.arrayValue))) { $1 }
            try dns.serve(zone)
            let verified = try await api.call("POST", "/api/v1/email/domains/\(try #require(added.string("id")))/verify", token: token)
            #expect(verified.string("status") == "verified", "\(verified.body)")
            let sent = try await email(token, from: "News <news@\(name.uppercased())>")
            #expect(sent.status == 201 && sent.string("status") == "queued", "\(sent.body)")
            let created = try await campaign(token, from: "News <news@\(name)>")
            #expect(created.status == 201, "\(created.body)")
            // A change of sender is checked as a new one is; a subdomain is not its parent.
            let id = try #require(created.string("id"))
            refused(try await api.call("PATCH", "/api/v1/campaigns/\(id)", json: ["content": content("news@mail.\(name)")], token: token),
                    naming: "content.from", "mail.\(name)")
            #expect(try await api.call("PATCH", "/api/v1/campaigns/\(id)", json: ["content": content("team@\(name)")], token: token).status == 200)
        }
        // Verified for one workspace is not verified for another.
        refused(try await email(simulated, from: "news@smtp-sender.test"), naming: "from", "smtp-sender.test")
    }

    @Test func badInputIsNamed() async throws {
        let api = try await APIHost.start(vars: ["DNS_SERVER": "127.0.0.1:9"])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("bad@example.com").string("access_token"))
        for (body, field) in [(["name": "not a domain"], "name"), (["name": "192.0.2.1"], "name"), (["name": "bücher.example"], "name"),
                              ([:], "name"), (["name": "ok.test", "spf_include": ""], "spf_include")] as [(JSONValue, String)] {
            let answer = try await api.call("POST", "/api/v1/email/domains", json: body, token: token)
            #expect(answer.status == 422 && answer.string("error", "details", "field") == field, "\(body): \(answer.body)")
        }
        #expect(try await api.call("POST", "/api/v1/email/domains", json: ["name": "twice.test"], token: token).status == 201)
        let twice = try await api.call("POST", "/api/v1/email/domains", json: ["name": "TWICE.test."], token: token)
        #expect(twice.status == 409, "\(twice.body)")
        #expect(try await api.call("POST", "/api/v1/email/domains/edm_nope/verify", token: token).status == 404)
        #expect(try await api.call("GET", "/api/v1/email/domains/edm_nope", token: token).status == 404)
        #expect(try await api.call("DELETE", "/api/v1/email/domains/edm_nope", token: token).status == 404)
    }
}
