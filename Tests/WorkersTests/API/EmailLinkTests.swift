@testable import APIWorker
import OzziRuntime
import Testing

/// The signed links of an email (unsubscribe, pixel, click) and the small parsers behind their routes:
/// no link can be made up, altered, or used as another kind.
@Suite struct EmailLinkTests {
    let signer = EmailLinkSigner(sealingKey: Array(repeating: 1, count: 32))
    let scope = TenantScope(workspaceID: "wsp_01jd0000000000000000000000")

    @Test func anUnsubscribeTokenCarriesItsRecipientAndNothingElseVerifies() throws {
        let links = UnsubscribeLinks(signer: signer, publicURL: "https://api.test")
        let url = links.url(for: "msg_1", scope: scope, address: "Ada@Example.com")
        #expect(url.hasPrefix("https://api.test/api/v1/email/unsubscribe/"))
        let token = String(url.dropFirst("https://api.test/api/v1/email/unsubscribe/".count))
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }, "URL-safe: \(token)")
        #expect(links.recipient(token) == UnsubscribeLinks.Recipient(email: EmailRef(scope: scope, messageID: "msg_1"), address: "ada@example.com"))

        // Another key, a changed payload or signature, a truncated token: refused.
        let other = UnsubscribeLinks(signer: EmailLinkSigner(sealingKey: Array(repeating: 2, count: 32)), publicURL: "https://api.test")
        #expect(other.recipient(token) == nil)
        let parts = token.split(separator: ".").map(String.init)
        let forgedPayload = Base64URL.encode(Array("u\n\(scope.workspaceID)\nmsg_1\neve@example.com".utf8))
        #expect(links.recipient(forgedPayload + "." + parts[1]) == nil)
        var flipped = Array(parts[1])
        flipped[0] = flipped[0] == "A" ? "B" : "A"
        #expect(links.recipient(parts[0] + "." + String(flipped)) == nil)
        #expect(links.recipient(String(token.dropLast())) == nil)
        #expect(links.recipient(parts[0]) == nil)
        #expect(links.recipient("") == nil && links.recipient("..") == nil && links.recipient("not base64!.x") == nil)

        let headers = links.headers(for: "msg_1", scope: scope, address: "ada@example.com")
        #expect(headers == [EmailHeader(name: "List-Unsubscribe", value: "<\(url)>"),
                            EmailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")])
    }

    @Test func tokensOfOneKindAreNotTokensOfAnother() {
        let tracking = TrackingLinks(signer: signer, publicURL: "https://api.test")
        let unsubscribe = UnsubscribeLinks(signer: signer, publicURL: "https://api.test")
        let open = String(tracking.openURL(messageID: "msg_1", scope: scope).split(separator: "/").last!)
        let unsubscribeToken = String(unsubscribe.url(for: "msg_1", scope: scope, address: "a@b.co").split(separator: "/").last!)
        #expect(tracking.opened(open) == EmailRef(scope: scope, messageID: "msg_1"))
        #expect(unsubscribe.recipient(open) == nil)
        #expect(tracking.opened(unsubscribeToken) == nil)
        #expect(tracking.clicked(open, url: "") == nil, "a pixel token is no redirect to anywhere")
        let click = tracking.clickURL("https://shop.example/", messageID: "msg_1", scope: scope)
        let clickToken = String(click.split(separator: "/").last!.prefix { $0 != "?" })
        #expect(tracking.opened(clickToken) == nil)
        #expect(tracking.clicked(clickToken, url: "https://shop.example/") != nil)
        #expect(tracking.clicked(clickToken, url: "https://shop.example") == nil)
        #expect(tracking.clicked(clickToken, url: "https://shop.example/#") == nil)
    }

    @Test func privacyProxiesAndScannersAreMachinesPeopleAreNot() {
        let delivered: Int64 = 1_000_000
        let browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        let gmail = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
        // Apple Mail Privacy Protection: its bare agent, whenever it comes.
        #expect(OpenClassifier.isMachine(userAgent: "Mozilla/5.0", openedMs: delivered + 2_000, deliveredMs: delivered))
        #expect(OpenClassifier.isMachine(userAgent: "Mozilla/5.0", openedMs: delivered + 86_400_000, deliveredMs: delivered))
        // Gmail's proxy right after delivery caches; later it fetches for a person opening the email.
        #expect(OpenClassifier.isMachine(userAgent: gmail, openedMs: delivered + 3_000, deliveredMs: delivered))
        #expect(!OpenClassifier.isMachine(userAgent: gmail, openedMs: delivered + 600_000, deliveredMs: delivered))
        // No agent or a scanner's right away: a machine.
        #expect(OpenClassifier.isMachine(userAgent: nil, openedMs: delivered + 500, deliveredMs: delivered))
        #expect(OpenClassifier.isMachine(userAgent: "Barracuda Sentinel (EE)", openedMs: delivered + 500, deliveredMs: delivered))
        // A mail client, even at once (a password reset is opened at once), is a person.
        #expect(!OpenClassifier.isMachine(userAgent: browser, openedMs: delivered + 1_000, deliveredMs: delivered))
        #expect(!OpenClassifier.isMachine(userAgent: browser, openedMs: delivered + 60_000, deliveredMs: delivered))
        // The window's edge, and an email whose delivery time is unknown.
        #expect(OpenClassifier.isMachine(userAgent: gmail, openedMs: delivered + OpenClassifier.prefetchWindowMs, deliveredMs: delivered))
        #expect(!OpenClassifier.isMachine(userAgent: gmail, openedMs: delivered + OpenClassifier.prefetchWindowMs + 1, deliveredMs: delivered))
        #expect(!OpenClassifier.isMachine(userAgent: gmail, openedMs: delivered, deliveredMs: nil))
    }

    @Test func oneClickBodiesAreReadFromEitherFormEncoding() {
        let urlencoded = "application/x-www-form-urlencoded"
        #expect(OneClickBody.isOneClick(contentType: urlencoded, body: Array("List-Unsubscribe=One-Click".utf8)))
        #expect(OneClickBody.isOneClick(contentType: urlencoded + "; charset=utf-8", body: Array("a=b&List-Unsubscribe=One-Click".utf8)))
        #expect(OneClickBody.isOneClick(contentType: urlencoded, body: Array("List-Unsubscribe=One%2DClick".utf8)))
        #expect(!OneClickBody.isOneClick(contentType: urlencoded, body: Array("List-Unsubscribe=Yes".utf8)))
        #expect(!OneClickBody.isOneClick(contentType: urlencoded, body: []))
        #expect(!OneClickBody.isOneClick(contentType: nil, body: Array("List-Unsubscribe=One-Click".utf8)))
        #expect(!OneClickBody.isOneClick(contentType: "application/json", body: Array(#"{"List-Unsubscribe":"One-Click"}"#.utf8)))

        let multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n"
        #expect(OneClickBody.isOneClick(contentType: "multipart/form-data; boundary=XyZ", body: Array(multipart.utf8)))
        #expect(OneClickBody.isOneClick(contentType: "Multipart/Form-Data; boundary=\"XyZ\"", body: Array(multipart.utf8)))
        #expect(!OneClickBody.isOneClick(contentType: "multipart/form-data; boundary=Other", body: Array(multipart.utf8)))
        #expect(!OneClickBody.isOneClick(contentType: "multipart/form-data", body: Array(multipart.utf8)))
        let two = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b\r\ncontent-disposition: form-data; name=List-Unsubscribe\r\n"
            + "Content-Type: text/plain\r\n\r\nOne-Click\r\n--b--"
        #expect(OneClickBody.isOneClick(contentType: "multipart/form-data; boundary=b", body: Array(two.utf8)))
        #expect(!OneClickBody.isOneClick(contentType: "multipart/form-data; boundary=b", body: Array("--b\r\n\r\n--b--".utf8)))
    }
}
