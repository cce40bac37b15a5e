import Testing
@testable import OzziRuntime

/// Absolute-form request targets (RFC 9112 §3.2.2): routed by their authority, never by `Host`.
@Suite struct AbsoluteTargetTests {
    @Test func theURIsAuthorityIsTheHostAndItsPathThePath() {
        let request = Request(method: "GET", target: "http://127.0.0.1/status?x=1", headers: ["host": "widget.localhost"])
        #expect(request.host == "127.0.0.1")
        #expect(request.path == "/status")
        #expect(request.query == "x=1")
        let origin = Request(method: "GET", target: "/status", headers: ["host": "Widget.localhost:8787"])
        #expect(origin.host == "widget.localhost", "origin-form keeps routing by Host")
    }

    @Test func formsOfTheAuthority() throws {
        let cases: [(String, host: String, pathAndQuery: String)] = [
            ("HTTPS://Example.COM:8443/a/b", "example.com", "/a/b"),
            ("http://[::1]:8080/x", "[::1]", "/x"),
            ("http://a.example", "a.example", "/"),
            ("http://a.example?q=1", "a.example", "/?q=1"),
            ("http://a.example:/x", "a.example", "/x"),
            ("http://caf%C3%A9.example/x", "caf%c3%a9.example", "/x"),
        ]
        for (target, host, pathAndQuery) in cases {
            let parsed = try AbsoluteTarget(target)
            #expect(parsed.host == host, "\(target)")
            #expect(parsed.pathAndQuery == pathAndQuery, "\(target)")
        }
        #expect(Request(method: "GET", target: "http://a.example?q=1").path == "/")
        #expect(Request(method: "GET", target: "http://a.example?q=1").query == "q=1")
    }

    @Test func otherSchemesAndBadAuthoritiesAreRefused() {
        let refused: [(String, AbsoluteTarget.Invalid)] = [
            ("ftp://a.example/x", .scheme("ftp")),
            ("ws://a.example/x", .scheme("ws")),
            ("http:/a.example/x", .authority("no '//' and authority after the scheme")),
            ("http:///x", .authority("no host in ''")),
            ("http://:80/x", .authority("no host in ':80'")),
            ("http://user:pw@a.example/x", .authority("userinfo in 'user:pw@a.example'")),
            ("http://a.example:99999/x", .authority("invalid port in 'a.example:99999'")),
            ("http://a.example:8o/x", .authority("invalid port in 'a.example:8o'")),
            ("http://[zz]/x", .authority("invalid IPv6 literal in '[zz]'")),
            ("http://[::1]x/x", .authority("invalid port in '[::1]x'")),
            ("http://a%2/x", .authority("invalid percent-encoding in 'a%2'")),
            ("http://a\"b/x", .authority("invalid byte in the host 'a\"b'")),
        ]
        for (target, why) in refused {
            #expect(throws: why, "\(target)") { try AbsoluteTarget(target) }
        }
    }

    @Test func anUnparsableAbsoluteTargetRoutesByNoHost() {
        #expect(Request(method: "GET", target: "ftp://widget.localhost/x", headers: ["host": "widget.localhost"]).host == nil)
    }
}
