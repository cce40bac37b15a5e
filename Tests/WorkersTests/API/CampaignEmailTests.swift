import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
import APIWorker

/// Email campaigns with the simulated provider: a 1,000-contact campaign run to `finished` with exact
/// counts, each email carrying its recipient's one-click unsubscribe and tracking links; an unsubscribe
/// that keeps the contact out of the next campaign.
@Suite struct CampaignEmailTests {
    static let vars = EmailTests.vars.merging(["EMAIL_RATE_PER_WORKSPACE": "5000", "EMAIL_RATE_PER_USER": "5000", "SIM_EMAIL_DELIVERY_MS": "100"]) { $1 }
    let campaigns = CampaignTests()

    func world() async throws -> CampaignTests.World {
        let api = try await APIHost.start(vars: CampaignTests.vars.merging(Self.vars) { $1 })
        return CampaignTests.World(api: api, token: try #require(try await api.signUp("newsletter@example.com").string("access_token")))
    }

    func emailCampaign(_ w: CampaignTests.World, name: String = "Spring news", trackOpens: Bool = false, trackClicks: Bool = false) async throws -> String {
        try await campaigns.create(w, ["name": .string(name), "channel": "email", "throttle_per_second": 500, "content": [
            "from": .string(EmailTests.from), "subject": "Spring news, {{first_name|friend}}",
            "html": #"<p>Hi {{first_name|friend}}, read <a href="https://hope.example/spring?x=1&amp;y=2">the news</a>.</p>"#,
            "track_opens": .bool(trackOpens), "track_clicks": .bool(trackClicks),
        ]])
    }

    /// The campaign's emails, by recipient address.
    func emails(_ w: CampaignTests.World, campaign id: String) async throws -> [String: String] {
        let rows = try await w.api.database("api").prepare("SELECT id, to_phone FROM messages WHERE campaign_id = ?").bind(id).all()
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.text("to_phone").flatMap { to in row.text("id").map { (to, $0) } } })
    }

    /// The RFC 5322 message the simulated provider kept, its headers unfolded.
    func message(_ w: CampaignTests.World, _ id: String) async throws -> (headers: [String: String], body: String) {
        let answer = try await w.api.call("GET", "/api/v1/emails/\(id)/message", token: w.token)
        #expect(answer.status == 200, "\(answer.body)")
        let parts = answer.body.components(separatedBy: "\r\n\r\n")
        var headers: [String: String] = [:], last: String?
        for line in parts[0].components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", let name = last {
                headers[name, default: ""] += line.trimmingCharacters(in: .whitespaces).isEmpty ? "" : " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = name
            }
        }
        return (headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// The path of one of our links (`https://api.test/api/v1/...` in these tests).
    func path(_ url: String) -> String {
        String(url[url.range(of: "/api/v1/")!.lowerBound...])
    }

    @Test func aThousandContactEmailCampaignRunsToFinished() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        _ = try await campaigns.importContacts(w, 997)
        // Two contacts the simulator bounces and one that complains: at send time they are still valid.
        for (i, address) in ["bounced@simulator.ozzi.test", "complained@simulator.ozzi.test", "delayed@simulator.ozzi.test"].enumerated() {
            let created = try await w.api.call("POST", "/api/v1/contacts", json: ["name": .string("Sim \(i)"), "phone": .string("+1500555010\(i)"), "email": .string(address)],
                                               token: w.token)
            #expect(created.status == 201, "\(created.body)")
        }
        // Not recipients: a contact opted out of email, and one without an address.
        _ = try await w.api.call("POST", "/api/v1/contacts", json: ["name": "Out", "phone": "+15005550200", "email": "out@example.com",
                                                                    "email_consent": ["status": "opted_out"]], token: w.token)
        _ = try await w.api.call("POST", "/api/v1/contacts", json: ["name": "No mail", "phone": "+15005550201"], token: w.token)

        let id = try await emailCampaign(w, trackOpens: true, trackClicks: true)
        #expect(try await campaigns.action(w, id, "send").string("state") == "running")
        let done = try await campaigns.wait(w, id) {
            $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 999 && campaigns.stat($0, "bounced") == 1 && campaigns.stat($0, "complained") == 1
        }
        #expect(done.string("state") == "finished", "\(done.body)")
        #expect(done["recipients"] == 1000)
        // The complaint was delivered first; neither it nor the bounce counts as an unsubscribe, though both
        // opt the address out.
        #expect(done["stats"] == ["recipients": 1000, "pending": 0, "sent": 1000, "delivered": 999, "failed": 0, "bounced": 1, "opened": 0,
                                  "clicked": 0, "unsubscribed": 0, "complained": 1, "canceled": 0, "review": 0], "\(done.body)")
        try await campaigns.expectOncePerRecipient(w.api, campaign: id, recipients: 1000)
        let log = ((try? String(contentsOfFile: w.api.dataDirectory + "/api/simulated-email.log", encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(log.count == 1000, "each email handed to the provider once")

        // Each email is its recipient's: the name filled in, the one-click unsubscribe (RFC 8058) and the
        // tracking links signed for it; the text part keeps the plain link.
        let byAddress = try await emails(w, campaign: id)
        let sent = try await message(w, try #require(byAddress["p7@example.com"]))
        #expect(sent.headers["subject"] == "Spring news, Person")
        let unsubscribe = try #require(sent.headers["list-unsubscribe"])
        #expect(unsubscribe.hasPrefix("<https://api.test/api/v1/email/unsubscribe/") && unsubscribe.hasSuffix(">"), "\(unsubscribe)")
        #expect(sent.headers["list-unsubscribe-post"] == "List-Unsubscribe=One-Click")
        #expect(sent.body.contains("https://api.test/api/v1/email/clicks/") && sent.body.contains("https://api.test/api/v1/email/opens/"))
        #expect(sent.body.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=").contains("https://hope.example/spring?x=1&y=2"), "the text part keeps the link")
        let other = try await message(w, try #require(byAddress["p8@example.com"]))
        #expect(other.headers["list-unsubscribe"] != unsubscribe, "a link per recipient")
    }

    @Test func oneClickUnsubscribeKeepsTheContactOutOfTheNextCampaign() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        _ = try await campaigns.importContacts(w, 3)
        let database = try await w.api.database("api")
        let p1 = try #require(try await database.prepare("SELECT id FROM contacts WHERE email = 'p1@example.com'").first()?.text("id"))
        let first = try await emailCampaign(w)
        _ = try await campaigns.action(w, first, "send")
        _ = try await campaigns.wait(w, first) { $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 3 }

        let email = try #require(try await emails(w, campaign: first)["p1@example.com"])
        let header = try #require(try await message(w, email).headers["list-unsubscribe"])
        let link = path(String(header.dropFirst().dropLast()))
        // A GET shows the confirmation page and changes nothing; the one-click POST (no cookie, no token of ours) unsubscribes.
        let page = try await w.api.call("GET", link)
        #expect(page.status == 200 && page.body.contains("p1@example.com") && page.body.contains("<form method=\"post\""))
        let contact = try await w.api.call("GET", "/api/v1/contacts/\(p1)", token: w.token)
        #expect(contact["email_consent"]?["status"] != "opted_out")
        let done = try await w.api.call("POST", link, raw: "List-Unsubscribe=One-Click", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(done.status == 200, "\(done.body)")
        #expect(try await w.api.call("GET", "/api/v1/contacts/\(p1)", token: w.token)["email_consent"]?["status"] == "opted_out")
        #expect(try await w.api.call("POST", link, raw: "List-Unsubscribe=One-Click", headers: ["Content-Type": "application/x-www-form-urlencoded"]).status == 200,
                "a repeat changes nothing")
        let stats = try await campaigns.campaign(w, first)
        #expect(campaigns.stat(stats, "unsubscribed") == 1, "\(stats.body)")

        // The next campaign leaves the address out.
        let second = try await emailCampaign(w, name: "Summer news")
        _ = try await campaigns.action(w, second, "send")
        let finished = try await campaigns.wait(w, second) { $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 2 }
        #expect(finished["recipients"] == 2, "\(finished.body)")
        #expect(Set(try await emails(w, campaign: second).keys) == ["p0@example.com", "p2@example.com"])
    }

    @Test func clicksGoOnlyWhereTheEmailLinkedAndAreCounted() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        _ = try await campaigns.importContacts(w, 2)
        let id = try await emailCampaign(w, trackClicks: true)
        _ = try await campaigns.action(w, id, "send")
        _ = try await campaigns.wait(w, id) { $0.string("state") == "finished" && campaigns.stat($0, "delivered") == 2 }
        let email = try #require(try await emails(w, campaign: id)["p0@example.com"])
        let body = try await message(w, email).body
        #expect(!body.contains("/api/v1/email/opens/"), "opens not tracked for this campaign")
        // The click link, as quoted-printable left it in the HTML part.
        let html = body.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
        let start = try #require(html.range(of: "https://api.test/api/v1/email/clicks/"))
        let link = String(html[start.lowerBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
        let followed = try await w.api.call("GET", path(link))
        #expect(followed.status == 302 && followed.headers["location"] == "https://hope.example/spring?x=1&y=2", "\(followed.status) \(followed.body)")
        // Another URL with the same token is refused, never followed.
        let forged = link.replacingOccurrences(of: "hope.example", with: "evil.example")
        #expect(try await w.api.call("GET", path(forged)).status != 302)
        let counted = try await campaigns.wait(w, id) { campaigns.stat($0, "clicked") == 1 }
        #expect(campaigns.stat(counted, "clicked") == 1, "\(counted.body)")
    }
}
