@testable import APIWorker
import Foundation
import Testing

/// The HTML rewriting of tracked emails: which links are wrapped, how their URLs are read, where the
/// pixel goes, and that everything else comes out byte for byte.
@Suite struct TrackingRewriterTests {
    /// Wraps every link as `T(<url>)`, so a test sees the URL the rewriter read.
    static func wrap(_ html: String, pixel: String? = nil) -> String {
        TrackingRewriter.rewrite(html, link: { "T(\($0))" }, pixel: pixel)
    }

    @Test func wrapsHTTPAndHTTPSLinksInEitherQuoteOrNone() {
        #expect(Self.wrap(#"<a href="https://a.example/x">A</a>"#) == #"<a href="T(https://a.example/x)">A</a>"#)
        #expect(Self.wrap(#"<a href='http://a.example/'>A</a>"#) == #"<a href="T(http://a.example/)">A</a>"#)
        #expect(Self.wrap(#"<a href=https://a.example/u>A</a>"#) == #"<a href="T(https://a.example/u)">A</a>"#)
        #expect(Self.wrap(#"<A HREF = "HTTPS://A.example/Up" class="b">A</A>"#) == #"<A HREF = "T(HTTPS://A.example/Up)" class="b">A</A>"#)
        #expect(Self.wrap(#"<area shape="rect" href="https://a.example/map">"#) == #"<area shape="rect" href="T(https://a.example/map)">"#)
    }

    @Test func readsTheURLAsABrowserWouldAndWritesItBackEscaped() {
        // Entities decoded (what the browser follows), then escaped again in the attribute.
        #expect(Self.wrap(#"<a href="https://a.example/?a=1&amp;b=2&#38;c=3&#x26;d=&quot;4&quot;">x</a>"#)
                == #"<a href="T(https://a.example/?a=1&amp;b=2&amp;c=3&amp;d=&quot;4&quot;)">x</a>"#)
        // An unknown entity stays as written; blanks around the URL and line breaks inside it go.
        #expect(Self.wrap("<a href=\" https://a.example/p\nq?x=&copy; \">x</a>") == #"<a href="T(https://a.example/pq?x=&amp;copy;)">x</a>"#)
        #expect(TrackingRewriter.url(ArraySlice(#"https://a.example/?q=a%20b&amp;r=<"#.utf8)) == "https://a.example/?q=a%20b&r=<")
    }

    @Test func leavesOtherLinksAndAttributesAlone() {
        let html = #"""
            <html><head><link href="https://cdn.example/s.css" rel="stylesheet"></head><body>
            <a href="mailto:ada@example.com">mail</a> <a href="#top">top</a> <a href="tel:+1202">call</a> <a name="x">no href</a>
            <a title='href="https://not.a.link/"' data-href="https://nor.this/">t</a> <a href>empty</a> <abbr href="https://x/">abbr</abbr>
            <img src="https://img.example/i.png"> <!-- <a href="https://commented.example/">c</a> -->
            <!--[if mso]><v:roundrect href="https://outlook.example/"></v:roundrect><![endif]-->
            <style>a[href="https://css.example/"]{color:red}</style><script>"<a href='https://js.example/'>"</script>
            a < b and c > d
            </body></html>
            """#
        #expect(Self.wrap(html) == html)
    }

    @Test func onlyTheFirstHrefOfATagCountsAndDeclinedLinksStay() {
        #expect(Self.wrap(#"<a href="https://one.example/" href="https://two.example/">x</a>"#)
                == #"<a href="T(https://one.example/)" href="https://two.example/">x</a>"#)
        let declined = TrackingRewriter.rewrite(#"<a href="https://keep.example/">k</a><a href="https://wrap.example/">w</a>"#,
                                                link: { $0.contains("keep") ? nil : "W" }, pixel: nil)
        #expect(declined == #"<a href="https://keep.example/">k</a><a href="W">w</a>"#)
    }

    @Test func thePixelGoesBeforeTheLastBodyEndOrAtTheEnd() {
        let pixel = #"<img src="https://t.example/o?a=1&amp;b" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">"#
        #expect(TrackingRewriter.rewrite("<html><BODY><p>Hi</p></BODY></html>", link: nil, pixel: "https://t.example/o?a=1&b")
                == "<html><BODY><p>Hi</p>\(pixel)</BODY></html>")
        #expect(TrackingRewriter.rewrite("<p>Hi</p>", link: nil, pixel: "https://t.example/o?a=1&b") == "<p>Hi</p>\(pixel)")
        #expect(TrackingRewriter.rewrite("<p>no tracking</p>", link: nil, pixel: nil) == "<p>no tracking</p>")
    }

    @Test func malformedHTMLNeitherCrashesNorLosesBytes() {
        for html in ["<a href=\"https://x.example/", "<a href=", "<a", "<", "<!--", "<a href='https://x.example/'", "<script>", "é<a href=\"https://é.example/ü\">ß</a>"] {
            let out = Self.wrap(html)
            if html.hasPrefix("é") {
                #expect(out == "é<a href=\"T(https://é.example/ü)\">ß</a>")
            } else {
                #expect(out == html, "\(html)")
            }
        }
    }

    @Test func theEngineRewritesWithSignedLinksThatSkipItsOwnURLs() {
        let signer = EmailLinkSigner(sealingKey: Array(repeating: 7, count: 32))
        let links = TrackingLinks(signer: signer, publicURL: "https://api.test")
        let unsubscribe = UnsubscribeLinks(signer: signer, publicURL: "https://api.test")
        let scope = TenantScope(workspaceID: "wsp_1")
        let leave = unsubscribe.url(for: "msg_1", scope: scope, address: "ada@example.com")
        let html = #"<body><a href="https://shop.example/?a=1&amp;b=2">Shop</a><a href="\#(leave)">Unsubscribe</a></body>"#
        let out = links.rewrite(html: html, messageID: "msg_1", scope: scope, opens: true, clicks: true)
        #expect(out.contains(#"href="\#(leave)""#), "the unsubscribe link is left as it is")
        #expect(!out.contains("https://shop.example/?a=1"), "the shop link is wrapped")
        let click = String(out.split(separator: "\"")[1]).replacingOccurrences(of: "&amp;", with: "&")
        #expect(click.hasPrefix("https://api.test/api/v1/email/clicks/"))
        let token = String(click.dropFirst("https://api.test/api/v1/email/clicks/".count).prefix { $0 != "?" })
        #expect(click.hasSuffix("?url=https%3A%2F%2Fshop.example%2F%3Fa%3D1%26b%3D2"))
        #expect(links.clicked(token, url: "https://shop.example/?a=1&b=2") == EmailRef(scope: scope, messageID: "msg_1"))
        #expect(links.clicked(token, url: "https://evil.example/") == nil, "the token is good for its own URL only")
        #expect(out.contains(#"<img src="https://api.test/api/v1/email/opens/"#) && out.hasSuffix("</body>"))
        #expect(links.rewrite(html: html, messageID: "msg_1", scope: scope, opens: false, clicks: false) == html)
        let long = #"<a href="https://shop.example/?q=\#(String(repeating: "é", count: TrackingLinks.maxURLLength))">long</a>"#
        #expect(links.rewrite(html: long, messageID: "msg_1", scope: scope, opens: false, clicks: true) == long,
                "a link too long for a redirect URL is left untracked")
        let opensOnly = links.rewrite(html: html, messageID: "msg_1", scope: scope, opens: true, clicks: false)
        #expect(opensOnly.contains("https://shop.example/?a=1&amp;b=2") && opensOnly.contains("/api/v1/email/opens/"))
    }
}
