import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The readable reference at `/api/v1/docs`: a page, script and style sheet from this host alone, which in a
/// real browser lists, filters and deep-links the operations of the live OpenAPI document.
@Suite struct APIReferenceTests {
    @Test func thePageItsScriptAndStyleComeFromTheHostAlone() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let page = try await api.call("GET", "/api/v1/docs")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let policy = try #require(page.headers["content-security-policy"])
        for directive in ["default-src 'none'", "script-src 'self';", "style-src 'self';", "connect-src 'self';"] {
            #expect(policy.contains(directive), "the policy lacks \(directive): \(policy)")
        }
        // Every URL the page names is a path of this host (or the empty icon), and no script or style is inline.
        let named = page.body.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.1) }.sorted()
        #expect(named == ["/api/v1/docs/reference.css", "/api/v1/docs/reference.js", "/api/v1/openapi.json", "data:,"])
        #expect(page.body.matches(of: /<script[^>]*>/).count == 1 && page.body.contains("<script src=") && !page.body.contains("<style"))

        let script = try await api.call("GET", "/api/v1/docs/reference.js")
        #expect(script.status == 200)
        #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
        let style = try await api.call("GET", "/api/v1/docs/reference.css")
        #expect(style.status == 200)
        #expect(style.headers["content-type"] == "text/css; charset=utf-8")
        for file in [script.body, style.body] {
            #expect(!file.isEmpty && !file.contains("://") && !file.contains("@import") && !file.contains("url("))
        }
        // The document's text enters the page as text, never as markup.
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
            #expect(!script.body.contains(sink), "the script uses \(sink)")
        }

        // The reference is itself an operation of the document it renders, open to anyone.
        let document = try await api.call("GET", "/api/v1/openapi.json")
        let operation = document.json["paths"]?["/api/v1/docs"]?["get"]
        #expect(operation?["security"] == [])
        #expect(operation?["responses"]?["200"]?["content"]?["text/html"] != nil)
    }
}
