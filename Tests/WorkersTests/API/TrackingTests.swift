@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The open pixel and click redirect of tracked emails, through the public routes, with the host's clock
/// standing where the test puts it.
@Suite struct TrackingTests {
    static let browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    static let gmailProxy = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"

    /// The click URLs (paths below the origin) and the pixel path of a rewritten email, in order.
    static func links(_ html: String) -> (clicks: [String], pixel: String?) {
        let urls = html.components(separatedBy: "\"").filter { $0.hasPrefix(EmailEngagementFixture.publicURL) }
            .map { EmailEngagementFixture.path($0.replacingOccurrences(of: "&amp;", with: "&")) }
        return (urls.filter { $0.contains("/email/clicks/") }, urls.first { $0.contains("/email/opens/") })
    }

    @Test func opensAndClicksAreCountedAndMoveTheStatusForwardOnly() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "ada@example.com", campaignID: "cmp_1", deliveredAgoMs: 60_000)
        let html = #"<html><body><a href="https://shop.example/sale?a=1&amp;b=two%20words">Sale</a> <a href='HTTPS://Shop.example/Other'>Other</a></body></html>"#
        let (clicks, pixelPath) = Self.links(f.domain.trackingLinks.rewrite(html: html, messageID: email, scope: f.scope, opens: true, clicks: true))
        let pixel = try #require(pixelPath)
        #expect(clicks.count == 2)

        let image = try await f.api.call("GET", pixel, headers: ["User-Agent": Self.browser])
        #expect(image.status == 200 && image.headers["content-type"] == "image/gif")
        #expect(image.headers["cache-control"]?.contains("no-store") == true && image.cookies.isEmpty)
        #expect(try await f.emailStatus(email) == "opened")
        f.clock.advance(byMilliseconds: 5000)
        #expect(try await f.api.call("GET", pixel, headers: ["User-Agent": Self.browser]).status == 200)
        #expect(try await f.emailStatus(email) == "opened")

        let click = try await f.api.call("GET", clicks[0], headers: ["User-Agent": Self.browser])
        #expect(click.status == 302, "\(click.body)")
        #expect(click.headers["location"] == "https://shop.example/sale?a=1&b=two%20words", "the link as the email had it")
        #expect(click.headers["cache-control"] == "no-store")
        #expect(try await f.api.call("GET", clicks[1]).headers["location"] == "HTTPS://Shop.example/Other")
        #expect(try await f.emailStatus(email) == "clicked")
        // An open after a click does not move it back.
        #expect(try await f.api.call("GET", pixel, headers: ["User-Agent": Self.browser]).status == 200)
        #expect(try await f.emailStatus(email) == "clicked")
        #expect(try await f.timeline(email) == ["status:pending", "status:opened", "status:clicked"], "one timeline line per status reached")

        let engagement = try await f.api.call("GET", "/api/v1/email/engagement/\(email)", token: f.token)
        #expect(engagement["opens"] == 3 && engagement["machine_opens"] == 0 && engagement["clicks"] == 2, "\(engagement.body)")
        #expect(engagement.string("campaign_id") == "cmp_1")
        #expect(engagement.string("first_opened_at").flatMap(SQLDate.parse)! < engagement.string("last_opened_at").flatMap(SQLDate.parse)!)
        #expect(engagement.string("first_clicked_at") != nil && engagement["unsubscribed_at"] == nil)
        #expect(try await f.events("email.opened").count == 3)
        #expect(try await f.events("email.clicked").map { $0["url"]?.stringValue } == ["https://shop.example/sale?a=1&b=two%20words", "HTTPS://Shop.example/Other"])
        #expect(try await f.events("email.clicked").first?["campaign_id"] == "cmp_1")

        // Bounced or complained stays so: the open is counted, the status is not moved.
        let bounced = try await f.sentEmail(to: "gone@example.com", deliveredAgoMs: 60_000)
        try await f.database.prepare("UPDATE messages SET email_status = 'complained' WHERE id = ?").bind(bounced).run()
        let bouncedLinks = Self.links(f.domain.trackingLinks.rewrite(html: html, messageID: bounced, scope: f.scope, opens: true, clicks: true))
        #expect(try await f.api.call("GET", try #require(bouncedLinks.pixel), headers: ["User-Agent": Self.browser]).status == 200)
        #expect(try await f.api.call("GET", bouncedLinks.clicks[0]).status == 302)
        #expect(try await f.emailStatus(bounced) == "complained")
        #expect(try await f.timeline(bounced) == ["status:pending"])
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/\(bounced)", token: f.token)["clicks"] == 1)
    }

    @Test func privacyProxyOpensAreCountedApartFromPeoples() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        // Two emails of one campaign, delivered now: one only a proxy opens, the other a person too.
        let proxied = try await f.sentEmail(to: "mpp@example.com", campaignID: "cmp_news", deliveredAgoMs: 0)
        let read = try await f.sentEmail(to: "reader@example.com", campaignID: "cmp_news", deliveredAgoMs: 0)
        func pixel(_ id: String) throws -> String {
            try #require(f.domain.trackingLinks.rewrite(html: "<p>Hi</p>", messageID: id, scope: f.scope, opens: true, clicks: false)
                .components(separatedBy: "\"").first { $0.contains("/email/opens/") }.map(EmailEngagementFixture.path))
        }
        let proxiedPixel = try pixel(proxied), readPixel = try pixel(read)

        // Within seconds of delivery the proxies fetch every image.
        f.clock.advance(byMilliseconds: 2000)
        #expect(try await f.api.call("GET", proxiedPixel, headers: ["User-Agent": "Mozilla/5.0"]).status == 200)
        #expect(try await f.api.call("GET", readPixel, headers: ["User-Agent": Self.gmailProxy]).status == 200)
        #expect(try await f.emailStatus(proxied) == "delivered", "a machine's open is no open")
        #expect(try await f.emailStatus(read) == "delivered")
        // Hours later: Apple's proxy again (still a machine), and a person opening through Gmail's proxy.
        f.clock.advance(byMilliseconds: 3 * 3_600_000)
        #expect(try await f.api.call("GET", proxiedPixel, headers: ["User-Agent": "Mozilla/5.0"]).status == 200)
        #expect(try await f.api.call("GET", readPixel, headers: ["User-Agent": Self.gmailProxy]).status == 200)
        #expect(try await f.emailStatus(proxied) == "delivered")
        #expect(try await f.emailStatus(read) == "opened")

        let proxiedCounts = try await f.api.call("GET", "/api/v1/email/engagement/\(proxied)", token: f.key)
        #expect(proxiedCounts["opens"] == 0 && proxiedCounts["machine_opens"] == 2 && proxiedCounts["first_opened_at"] == nil, "\(proxiedCounts.body)")
        #expect(proxiedCounts.string("first_machine_open_at") != nil)
        let readCounts = try await f.api.call("GET", "/api/v1/email/engagement/\(read)", token: f.key)
        #expect(readCounts["opens"] == 1 && readCounts["machine_opens"] == 1, "\(readCounts.body)")
        #expect(try await f.events("email.opened").map { $0["machine"] } == [true, true, true, false])

        let campaign = try await f.domain.engagement.campaigns(f.scope, ids: ["cmp_news", "cmp_none"])
        #expect(campaign["cmp_news"] == CampaignEngagement(opened: 1, machine_opened: 1, clicked: 0, unsubscribed: 0, opens: 1, machine_opens: 3, clicks: 0))
        #expect(campaign["cmp_none"] == CampaignEngagement())
    }

    @Test func theRedirectGoesOnlyWhereTheEmailPointed() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "ada@example.com", deliveredAgoMs: 60_000)
        let rewritten = f.domain.trackingLinks.rewrite(html: #"<a href="https://good.example/path">go</a>"#, messageID: email, scope: f.scope,
                                                       opens: true, clicks: true)
        let (clicks, pixelPath) = Self.links(rewritten)
        let good = try #require(clicks.first)
        let pixel = try #require(pixelPath)
        let token = String(good.split(separator: "/").last!.prefix { $0 != "?" })
        let pixelToken = String(pixel.split(separator: "/").last!)
        let base = "/api/v1/email/clicks/"
        // The signature's first character changed.
        let mac = token.split(separator: ".")[1]
        let altered = token.split(separator: ".")[0] + "." + (mac.first == "A" ? "B" : "A") + mac.dropFirst()
        let attempts = [
            base + token + "?url=" + FormEncoding.escape("https://evil.example/"),
            base + token + "?url=" + FormEncoding.escape("https://good.example/path/../../evil"),
            base + token + "?url=" + FormEncoding.escape("https://evil.example/") + "&url=" + FormEncoding.escape("https://good.example/path"),
            base + altered + "?url=" + FormEncoding.escape("https://good.example/path"),
            base + pixelToken + "?url=" + FormEncoding.escape("https://good.example/path"),
            base + "nothing?url=" + FormEncoding.escape("https://good.example/path"),
        ]
        for attempt in attempts {
            let answer = try await f.api.call("GET", attempt, headers: ["Accept": "text/html"])
            #expect(answer.status == 404 && answer.headers["location"] == nil, "\(attempt): \(answer.status) \(answer.headers)")
            #expect(answer.body.contains("not valid"))
        }
        // A repeated `url` reads its first value, which must be the one signed: the extra one is never followed.
        let repeated = try await f.api.call("GET", good + "&url=" + FormEncoding.escape("https://evil.example/"))
        #expect(repeated.status == 302 && repeated.headers["location"] == "https://good.example/path")
        let missing = try await f.api.call("GET", base + token)
        #expect(missing.status == 422 && missing.string("error", "details", "field") == "url", "\(missing.body)")
        #expect(try await f.api.call("GET", "/api/v1/email/opens/" + token).status == 404, "a click token is no pixel")
        #expect(try await f.emailStatus(email) == "clicked")
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/\(email)", token: f.token)["clicks"] == 1)

        // A link whose email is gone still takes the reader where it pointed, counting nothing.
        try await f.database.prepare("DELETE FROM messages WHERE id = ?").bind(email).run()
        #expect(try await f.api.call("GET", good).headers["location"] == "https://good.example/path")
        #expect(try await f.api.call("GET", pixel).status == 200)
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/\(email)", token: f.token).status == 404)
    }

    @Test func engagementIsAnsweredOnlyForTheWorkspacesOwnEmails() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "ada@example.com", deliveredAgoMs: 60_000)
        let untouched = try await f.api.call("GET", "/api/v1/email/engagement/\(email)", token: f.token)
        #expect(untouched.json == ["message_id": .string(email), "opens": 0, "machine_opens": 0, "clicks": 0], "\(untouched.body)")
        let other = try #require(try await f.api.signUp("other@example.com").string("access_token"))
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/\(email)", token: other).status == 404)
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/msg_nope", token: f.token).status == 404)
        #expect(try await f.api.call("GET", "/api/v1/email/engagement/\(email)").status == 401)
    }
}
