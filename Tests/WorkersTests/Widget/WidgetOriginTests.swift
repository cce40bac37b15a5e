import Testing
@testable import APIWorker

/// Widget origins: one spelling per origin (what a browser sends), refused with the reason otherwise, and
/// wildcards admitting subdomains only.
@Suite struct WidgetOriginTests {
    @Test(arguments: [
        ("https://Shop.Example.com/", "https://shop.example.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://shop.example:443", "https://shop.example"),
        ("http://localhost:80", "http://localhost"),
        ("https://*.Example.com", "https://*.example.com"),
    ])
    func normalises(given: String, stored: String) throws {
        #expect(try WidgetOrigin.parse(given).get().description == stored)
    }

    @Test(arguments: [
        ("shop.example.com", "must start with https:// or http://"),
        ("ftp://shop.example", "must start with https:// or http://"),
        ("https://shop.example/path", "must be only scheme, host and port (no path, query, or user)"),
        ("https://user@shop.example", "must be only scheme, host and port (no path, query, or user)"),
        ("https://shop.example?x=1", "must be only scheme, host and port (no path, query, or user)"),
        ("https://shop.example:0", "has a port that is not 1-65535"),
        ("https://shop.example:99999", "has a port that is not 1-65535"),
        ("https://shop_example.com", "has a host that is not a DNS name, localhost, or an IPv4 address"),
        ("https://shop.example; script-src *", "has a host that is not a DNS name, localhost, or an IPv4 address"),
        ("https://-shop.example", "has a host that is not a DNS name, localhost, or an IPv4 address"),
        ("https://*.com", "may use *. only before a domain with a dot (*.example.com)"),
        ("https://a.*.example.com", "has a host that is not a DNS name, localhost, or an IPv4 address"),
    ])
    func refusesWithTheReason(given: String, reason: String) {
        #expect(WidgetOrigin.parse(given) == .failure(.init(reason)))
    }

    @Test func wildcardsAdmitSubdomainsOnly() throws {
        let wildcard = try WidgetOrigin.parse("https://*.example.com").get()
        let exact = try WidgetOrigin.parse("https://shop.example.com").get()
        func origin(_ text: String) throws -> WidgetOrigin { try WidgetOrigin.parse(text).get() }
        #expect(wildcard.admits(try origin("https://shop.example.com")))
        #expect(wildcard.admits(try origin("https://a.b.example.com")))
        #expect(!wildcard.admits(try origin("https://example.com")))
        #expect(!wildcard.admits(try origin("https://evilexample.com")))
        #expect(!wildcard.admits(try origin("http://shop.example.com")))
        #expect(!wildcard.admits(try origin("https://shop.example.com:8443")))
        #expect(exact.admits(try origin("https://shop.example.com:443")))
        #expect(!exact.admits(try origin("https://www.shop.example.com")))
    }
}
