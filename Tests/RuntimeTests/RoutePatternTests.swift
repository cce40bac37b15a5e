import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct RoutePatternTests {
    @Test func pathOnlyPrefix() throws {
        let pattern = try RoutePattern("/api/*")
        #expect(pattern.matches(host: "anything", path: "/api/v1/x"))
        #expect(pattern.matches(host: nil, path: "/api/"))
        #expect(!pattern.matches(host: "x", path: "/apix"))
        #expect(!pattern.matches(host: "x", path: "/api"))
    }

    @Test func hostPatterns() throws {
        let exact = try RoutePattern("widget.example.com/*")
        #expect(exact.matches(host: "Widget.Example.com:443", path: "/loader.js"))
        #expect(!exact.matches(host: "other.example.com", path: "/loader.js"))
        #expect(!exact.matches(host: nil, path: "/loader.js"))
        let subdomains = try RoutePattern("*.example.com/*")
        #expect(subdomains.matches(host: "a.b.example.com", path: "/"))
        #expect(!subdomains.matches(host: "example.com", path: "/"))
        let apexToo = try RoutePattern("*example.com/*")
        #expect(apexToo.matches(host: "example.com", path: "/"))
        let withPort = try RoutePattern("localhost:8787/x")
        #expect(withPort.matches(host: "localhost:8787", path: "/x"))
        #expect(!withPort.matches(host: "localhost:9999", path: "/x"))
    }

    @Test func exactPath() throws {
        let pattern = try RoutePattern("/health")
        #expect(pattern.matches(host: nil, path: "/health"))
        #expect(!pattern.matches(host: nil, path: "/health/x"))
    }

    @Test func misplacedWildcardsAreRefused() {
        #expect(throws: RoutePattern.ParseError.misplacedWildcard("/a/*/b")) { try RoutePattern("/a/*/b") }
        #expect(throws: RoutePattern.ParseError.misplacedWildcard("ex*ample.com/*")) { try RoutePattern("ex*ample.com/*") }
        #expect(throws: RoutePattern.ParseError.missingPath("example.com")) { try RoutePattern("example.com") }
    }

    @Test func mountedPatternStripsItsPrefix() throws {
        let pattern = try RoutePattern("/widget/*", stripPrefix: true)
        #expect(pattern.workerPath(for: "/widget/loader.js") == "/loader.js")
        #expect(pattern.workerPath(for: "/widget/") == "/")
        let plain = try RoutePattern("/widget/*")
        #expect(plain.workerPath(for: "/widget/loader.js") == "/widget/loader.js")
    }

    @Test func mostSpecificRouteWins() throws {
        let table = RouteTable([
            (try RoutePattern("/*"), "fallback"),
            (try RoutePattern("/api/*"), "api"),
            (try RoutePattern("/api/v2/*"), "v2"),
            (try RoutePattern("*.example.com/*"), "tenant"),
            (try RoutePattern("admin.example.com/*"), "admin"),
        ])
        #expect(table.match(host: "x", path: "/api/v1")?.worker == "api")
        #expect(table.match(host: "x", path: "/api/v2/y")?.worker == "v2")
        #expect(table.match(host: "x", path: "/other")?.worker == "fallback")
        #expect(table.match(host: "shop.example.com", path: "/api/v1")?.worker == "tenant")
        #expect(table.match(host: "admin.example.com", path: "/")?.worker == "admin")
    }
}
