@testable import APIWorker
import OzziRuntime
import OzziTestSupport
import Testing

/// One-click unsubscribe (RFC 8058) through the public route, as a mail client and a browser use it.
@Suite struct UnsubscribeTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    @Test func aOneClickPostWithoutCookiesUnsubscribesAtOnceAndOnlyOnce() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let contact = try await f.contact("ada@example.com", phone: "+14155550101")
        let email = try await f.sentEmail(to: "ada@example.com", campaignID: "cmp_spring", contactID: contact, deliveredAgoMs: 60_000)
        let path = EmailEngagementFixture.path(f.domain.unsubscribeLinks.url(for: email, scope: f.scope, address: "ada@example.com"))

        // As a mail client sends it: no credential, no cookie, the one field.
        let answer = try await f.api.call("POST", path, raw: "List-Unsubscribe=One-Click", headers: Self.form)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.headers["location"] == nil && answer.cookies.isEmpty, "no redirect, no cookie")
        #expect(answer.body.contains("ada@example.com"))
        let suppression = try await f.api.call("GET", "/api/v1/email/suppressions/ada@example.com", token: f.token)
        #expect(suppression.string("reason") == "unsubscribe" && suppression.string("message_id") == email && suppression.string("campaign_id") == "cmp_spring",
                "\(suppression.body)")
        let consent = try await f.api.call("GET", "/api/v1/contacts/\(contact)", token: f.token)
        #expect(consent.string("email_consent", "status") == "opted_out" && consent.string("email_consent", "method") == "unsubscribe link", "\(consent.body)")
        #expect(try await f.events("email.unsubscribed") == [["address": "ada@example.com", "message_id": .string(email), "campaign_id": "cmp_spring"]])
        #expect(try await f.domain.suppressions.suppressed(f.scope, addresses: ["ada@example.com"]) == ["ada@example.com"],
                "the next send to the address is held back")
        #expect(try await f.domain.engagement.campaigns(f.scope, ids: ["cmp_spring"])["cmp_spring"]?.unsubscribed == 1)

        // Clients repeat themselves: the same answer, nothing recorded twice.
        for _ in 0..<3 {
            #expect(try await f.api.call("POST", path, raw: "List-Unsubscribe=One-Click", headers: Self.form).status == 200)
        }
        #expect(try await f.events("email.unsubscribed").count == 1)
        #expect(try await f.events("email.suppressed").count == 1)
        #expect(try await f.events("contact.updated").count == 1)
        #expect(try await f.domain.engagement.campaigns(f.scope, ids: ["cmp_spring"])["cmp_spring"]?.unsubscribed == 1)
    }

    @Test func theGetPageOnlyAsksAndItsButtonUnsubscribes() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "bea@example.com")
        let path = EmailEngagementFixture.path(f.domain.unsubscribeLinks.url(for: email, scope: f.scope, address: "bea@example.com"))

        // Link scanners and previews follow GETs: however often, nothing happens.
        for _ in 0..<3 {
            let page = try await f.api.call("GET", path, headers: ["Accept": "text/html"])
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.body.contains(#"<form method="post">"#) && page.body.contains(#"name="List-Unsubscribe" value="One-Click""#))
            #expect(page.body.contains("bea@example.com") && !page.body.contains("<script"))
            #expect(page.headers["content-security-policy"]?.contains("form-action 'self'") == true)
            #expect(page.headers["cache-control"] == "no-store" && page.cookies.isEmpty)
        }
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions/bea@example.com", token: f.token).status == 404)
        #expect(try await f.events("email.unsubscribed").isEmpty)

        // The page's button posts its form back: the browser's urlencoded body, with its cookies ignored.
        let pressed = try await f.api.call("POST", path, raw: "List-Unsubscribe=One-Click",
                                           headers: Self.form.merging(["Cookie": "ozzi_access=whatever", "Accept": "text/html"]) { $1 })
        #expect(pressed.status == 200 && pressed.body.contains("no more emails"), "\(pressed.body)")
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions/bea@example.com", token: f.token).string("reason") == "unsubscribe")
    }

    @Test func multipartBodiesWorkAndABodyWithoutTheFieldDoesNot() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "cy@example.com")
        let path = EmailEngagementFixture.path(f.domain.unsubscribeLinks.url(for: email, scope: f.scope, address: "cy@example.com"))

        for (body, contentType) in [("", "application/x-www-form-urlencoded"), ("List-Unsubscribe=Later", "application/x-www-form-urlencoded"),
                                    (#"{"List-Unsubscribe":"One-Click"}"#, "application/json"), ("List-Unsubscribe=One-Click", "text/plain")] {
            let refused = try await f.api.call("POST", path, raw: body, headers: ["Content-Type": contentType])
            #expect(refused.status == 400, "\(contentType) \(body): \(refused.status)")
            #expect(refused.string("error", "message")?.contains("List-Unsubscribe=One-Click") == true, "\(refused.body)")
        }
        let page = try await f.api.call("POST", path, raw: "", headers: ["Content-Type": "text/plain", "Accept": "text/html"])
        #expect(page.status == 400 && page.headers["content-type"]?.hasPrefix("text/html") == true && page.body.contains("RFC 8058"))
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions/cy@example.com", token: f.token).status == 404)

        let boundary = "----ozzi7MA4YWxkTrZu0gW"
        let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--\(boundary)--\r\n"
        let answer = try await f.api.call("POST", path, raw: multipart, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(answer.status == 200, "\(answer.body)")
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions/cy@example.com", token: f.token).string("reason") == "unsubscribe")
    }

    @Test func forgedOrAlteredLinksAreRefusedWithAPageNamingTheProblem() async throws {
        let f = try await EmailEngagementFixture.start()
        defer { Task { await f.stop() } }
        let email = try await f.sentEmail(to: "dee@example.com")
        let path = EmailEngagementFixture.path(f.domain.unsubscribeLinks.url(for: email, scope: f.scope, address: "dee@example.com"))
        let token = String(path.split(separator: "/").last!)
        let parts = token.split(separator: ".").map(String.init)
        // Another address under this email's signature; a link signed with another key; a cut-off token.
        let otherAddress = Base64URL.encode(Array("u\n\(f.scope.workspaceID)\n\(email)\nceo@example.com".utf8)) + "." + parts[1]
        let otherKey = UnsubscribeLinks(signer: EmailLinkSigner(sealingKey: Array(repeating: 9, count: 32)), publicURL: EmailEngagementFixture.publicURL)
            .url(for: email, scope: f.scope, address: "dee@example.com")
        let forgeries = [otherAddress, String(otherKey.split(separator: "/").last!), String(token.dropLast(3)), parts[0], "nothing"]
        for forged in forgeries {
            let forgedPath = "/api/v1/email/unsubscribe/\(forged)"
            let post = try await f.api.call("POST", forgedPath, raw: "List-Unsubscribe=One-Click", headers: Self.form)
            #expect(post.status == 404 && post.string("error", "code") == "not_found", "\(forged): \(post.body)")
            let page = try await f.api.call("GET", forgedPath, headers: ["Accept": "text/html,application/xhtml+xml"])
            #expect(page.status == 404 && page.body.contains("not valid") && page.headers["content-type"]?.hasPrefix("text/html") == true)
        }
        #expect(try await f.api.call("GET", "/api/v1/email/suppressions", token: f.token).data.isEmpty)
        #expect(try await f.events("email.unsubscribed").isEmpty)
    }
}
