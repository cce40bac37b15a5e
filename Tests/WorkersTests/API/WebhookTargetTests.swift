import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Webhook endpoints refuse every spelling of a non-public address, saying why (the outside probe's SSRF).
@Suite struct WebhookTargetTests {
    @Test func everySpellingOfAPrivateTargetIsRefusedWithItsReason() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("targets@example.com").string("access_token"))
        let refused: [(url: String, reason: String)] = [
            ("https://[::127.0.0.1]/", "[::127.0.0.1] is the IPv4-compatible form of 127.0.0.1, which is loopback (127.0.0.0/8)"),
            ("https://[::7f00:1]/hook", "[::7f00:1] is the IPv4-compatible form of 127.0.0.1, which is loopback (127.0.0.0/8)"),
            ("https://[::ffff:0:7f00:1]/", "[::ffff:0:7f00:1] is the IPv4-translated form of 127.0.0.1, which is loopback (127.0.0.0/8)"),
            ("https://[2002:7f00:1::]/", "[2002:7f00:1::] is the 6to4 form of 127.0.0.1, which is loopback (127.0.0.0/8)"),
            ("https://[fec0::1]/", "[fec0::1] is deprecated site-local (fec0::/10)"),
            ("https://[::ffff:127.0.0.1]:8443/", "is the IPv4-mapped form of 127.0.0.1, which is loopback (127.0.0.0/8)"),
            ("https://[64:ff9b::a9fe:a9fe]/", "is the NAT64 form of 169.254.169.254, which is link-local (169.254.0.0/16)"),
            ("https://[64:ff9b:1::808:808]/", "local-use NAT64 (64:ff9b:1::/48)"),
            ("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "the Teredo form of 127.0.0.1"),
            ("https://[fd00::1]/", "unique-local (fc00::/7)"),
            ("https://[fe80::1]/", "link-local (fe80::/10)"),
            ("https://[ff02::1]/", "multicast (ff00::/8)"),
            ("https://[::]/", "unspecified (::/128)"),
            ("https://[::1]/", "loopback (::1/128)"),
            ("https://[2001:db8::1]/", "documentation (2001:db8::/32)"),
            ("https://[fe80::1%25eth0]/", "must be an https URL (RFC 3986)"),  // a zone id is no part of a URI
            ("https://2130706433/", "2130706433 is an IPv4 address in a non-standard spelling"),
            ("https://0x7f.1/", "0x7f.1 is an IPv4 address in a non-standard spelling"),
            ("https://127.1/", "127.1 is an IPv4 address in a non-standard spelling"),
            ("https://0177.0.0.1/", "non-standard spelling"),
            ("https://user@0x7f000001:443/", "non-standard spelling"),
            ("https://0.0.0.0/", "unspecified (\"this network\") (0.0.0.0/8)"),
            ("https://100.64.0.1/", "carrier-grade NAT (100.64.0.0/10)"),
            ("https://169.254.169.254/latest/meta-data", "link-local (169.254.0.0/16)"),
            ("https://198.18.0.1/", "benchmarking (198.18.0.0/15)"),
            ("https://224.0.0.1/", "multicast (224.0.0.0/4)"),
            ("https://240.0.0.1/", "reserved (240.0.0.0/4)"),
            ("https://172.20.1.1/", "private (172.16.0.0/12)"),
            ("https://localhost/", "localhost resolves to "),
        ]
        for (url, reason) in refused {
            let answer = try await api.call("POST", "/api/v1/webhook-endpoints", json: ["url": .string(url)], token: token)
            #expect(answer.status == 422, "\(url): \(answer.body)")
            #expect(answer.string("error", "details", "field") == "url", "\(url)")
            #expect(answer.string("error", "message")?.contains(reason) == true, "\(url): \(answer.string("error", "message") ?? answer.body)")
        }
        // Changing an endpoint's URL is checked the same way.
        let endpoint = try await api.call("POST", "/api/v1/webhook-endpoints", json: ["url": "https://[2606:4700::1111]/hook"], token: token)
        #expect(endpoint.status == 201, "\(endpoint.body)")
        let patched = try await api.call("PATCH", "/api/v1/webhook-endpoints/\(endpoint.string("id") ?? "")", json: ["url": "https://[::7f00:1]/"], token: token)
        #expect(patched.status == 422)
        for url in ["https://8.8.8.8/hook", "https://[::ffff:8.8.8.8]/hook", "https://[64:ff9b::808:808]/"] {
            let accepted = try await api.call("POST", "/api/v1/webhook-endpoints", json: ["url": .string(url)], token: token)
            #expect(accepted.status == 201, "\(url): \(accepted.body)")
        }
    }
}
