import Testing
@testable import OzziRuntime

/// Every spelling of a non-public address is refused, every public one is not (SSRF).
@Suite struct PrivateAddressTests {
    /// Refused literals, and the range each must be refused for.
    static let refused: [(String, String)] = [
        // The outside probe's spellings of 127.0.0.1 and a site-local address.
        ("::127.0.0.1", "127.0.0.0/8"), ("[::127.0.0.1]", "127.0.0.0/8"), ("::7f00:1", "127.0.0.0/8"),
        ("::ffff:0:7f00:1", "127.0.0.0/8"), ("::ffff:0:127.0.0.1", "127.0.0.0/8"), ("2002:7f00:1::", "127.0.0.0/8"), ("fec0::1", "fec0::/10"),
        // IPv4-mapped, in each of its spellings.
        ("::ffff:127.0.0.1", "127.0.0.0/8"), ("::ffff:7f00:1", "127.0.0.0/8"), ("0:0:0:0:0:ffff:7f00:0001", "127.0.0.0/8"),
        ("::ffff:10.0.0.1", "10.0.0.0/8"), ("::ffff:169.254.169.254", "169.254.0.0/16"), ("::ffff:100.64.0.1", "100.64.0.0/10"),
        ("::ffff:0.0.0.0", "0.0.0.0/8"),
        // IPv4-compatible and IPv4-translated: refused whatever they carry.
        ("::10.0.0.1", "10.0.0.0/8"), ("::8.8.8.8", "::/96"), ("::ffff:0:8.8.8.8", "::ffff:0:0:0/96"), ("::2", "0.0.0.0/8"),
        // NAT64, 6to4 and Teredo carrying a private address; local-use NAT64; Teredo at all.
        ("64:ff9b::127.0.0.1", "127.0.0.0/8"), ("64:ff9b::a00:1", "10.0.0.0/8"), ("64:ff9b:1::8.8.8.8", "64:ff9b:1::/48"),
        ("2002:a00:1::1", "10.0.0.0/8"), ("2002:c0a8:101::", "192.168.0.0/16"), ("2002:a9fe:a9fe::1", "169.254.0.0/16"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.0/8"), ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "2001::/32"),
        // IPv6 special ranges.
        ("::", "::/128"), ("::1", "::1/128"), ("0:0:0:0:0:0:0:1", "::1/128"), ("[::1]", "::1/128"),
        ("fc00::1", "fc00::/7"), ("fd12:3456:789a::1", "fc00::/7"), ("fe80::1", "fe80::/10"), ("febf::1", "fe80::/10"),
        ("fec0::", "fec0::/10"), ("feff::1", "fec0::/10"), ("ff02::1", "ff00::/8"), ("ff0e::1", "ff00::/8"),
        ("100::1", "100::/64"), ("2001:db8::1", "2001:db8::/32"), ("3fff::1", "3fff::/20"), ("2001:2::1", "2001::/23"),
        ("2001:10::1", "2001::/23"), ("5f00::1", "5f00::/16"), ("4000::1", "outside 2000::/3"), ("::1:0:0:1", "outside 2000::/3"),
        // IPv4 special ranges, at their edges.
        ("0.0.0.0", "0.0.0.0/8"), ("0.255.255.255", "0.0.0.0/8"), ("10.0.0.0", "10.0.0.0/8"), ("10.255.255.255", "10.0.0.0/8"),
        ("100.64.0.0", "100.64.0.0/10"), ("100.127.255.255", "100.64.0.0/10"), ("127.0.0.1", "127.0.0.0/8"), ("127.255.255.254", "127.0.0.0/8"),
        ("169.254.0.1", "169.254.0.0/16"), ("169.254.169.254", "169.254.0.0/16"), ("172.16.0.0", "172.16.0.0/12"), ("172.31.255.255", "172.16.0.0/12"),
        ("192.0.0.8", "192.0.0.0/24"), ("192.0.2.1", "192.0.2.0/24"), ("192.88.99.1", "192.88.99.0/24"), ("192.168.0.1", "192.168.0.0/16"),
        ("198.18.0.0", "198.18.0.0/15"), ("198.19.255.255", "198.18.0.0/15"), ("198.51.100.7", "198.51.100.0/24"), ("203.0.113.9", "203.0.113.0/24"),
        ("224.0.0.1", "224.0.0.0/4"), ("239.255.255.250", "224.0.0.0/4"), ("240.0.0.1", "240.0.0.0/4"), ("255.255.255.254", "240.0.0.0/4"),
        ("255.255.255.255", "255.255.255.255/32"),
    ]

    /// Not IP literals at all (counted as refused): the shorthand resolvers read as IPv4, zone ids, junk.
    static let notLiterals = ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "017700000001", "127.0.0.1.", "127.0.0.01",
                              " 127.0.0.1", "fe80::1%eth0", "[fe80::1%25eth0]", "::ffff:127.1", "1.2.3.4.5", "not-an-ip", ""]

    static let accepted = ["8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
                           "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0", "192.167.255.255",
                           "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
                           "2606:4700::1111", "[2606:4700:4700::1111]", "2a00:1450:4001:81b::200e", "2001:200::1", "2001:4860:4860::8888",
                           "::ffff:8.8.8.8", "::ffff:808:808", "64:ff9b::8.8.8.8", "2002:808:808::1"]

    @Test func everyNonPublicSpellingIsRefusedForItsRange() throws {
        for (text, range) in Self.refused {
            let address = try #require(IPAddress(text), "\(text) parses")
            #expect(PrivateAddress.classify(address)?.range == range, "\(text)")
            #expect(PrivateAddress.isPrivate(text), "\(text)")
        }
        for text in Self.notLiterals {
            #expect(IPAddress(text) == nil, "\(text) is not an IP literal")
            #expect(PrivateAddress.isPrivate(text), "\(text)")
        }
    }

    @Test func publicAddressesAreAccepted() throws {
        for text in Self.accepted {
            let address = try #require(IPAddress(text), "\(text) parses")
            #expect(PrivateAddress.classify(address) == nil, "\(text): \(String(describing: PrivateAddress.classify(address)))")
            #expect(!PrivateAddress.isPrivate(text), "\(text)")
        }
    }

    @Test func refusalsSayWhy() throws {
        #expect(PrivateAddress.classify(try #require(IPAddress("::127.0.0.1")))?.description
                == "the IPv4-compatible form of 127.0.0.1, which is loopback (127.0.0.0/8)")
        #expect(PrivateAddress.classify(try #require(IPAddress("2002:7f00:1::")))?.description
                == "the 6to4 form of 127.0.0.1, which is loopback (127.0.0.0/8)")
        #expect(PrivateAddress.classify(try #require(IPAddress("::8.8.8.8")))?.description == "an address in IPv4-compatible form (::/96)")
        #expect(PrivateAddress.classify(try #require(IPAddress("fec0::1")))?.description == "deprecated site-local (fec0::/10)")
        #expect(PrivateAddress.classify(try #require(IPAddress("10.1.2.3")))?.description == "private (10.0.0.0/8)")
    }

    @Test func addressesParseStrictlyAndPrintCanonically() throws {
        #expect(try #require(IPAddress("0:0:0:0:0:ffff:7f00:0001")).description == "::ffff:127.0.0.1")
        #expect(try #require(IPAddress("[2606:4700:0:0::1111]")).description == "2606:4700::1111")
        #expect(try #require(IPAddress("8.8.8.8")).bytes == [8, 8, 8, 8])
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        for host in ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0X7F000001", "127.0.0.1.", "1.2.3.0x4", "example.0x"] {
            #expect(IPAddress.isNumericHost(host), "\(host)")
        }
        for host in ["example.com", "127.0.0.1.nip.io", "1x", "0x7g", "a.b.c", "[::1]", "."] {
            #expect(!IPAddress.isNumericHost(host), "\(host)")
        }
    }

    @Test func urlHostsAreCheckedInEverySpellingBeforeAnyLookup() async throws {
        for host in ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.1."] {
            await #expect(throws: PrivateAddress.RefusedHost.self, "\(host)") { try await PrivateAddress.publicAddresses(of: host) }
        }
        let compatible = await #expect(throws: PrivateAddress.RefusedHost.self) { try await PrivateAddress.publicAddresses(of: "[::127.0.0.1]") }
        #expect(compatible?.description == "[::127.0.0.1] is the IPv4-compatible form of 127.0.0.1, which is loopback (127.0.0.0/8)")
        let zone = await #expect(throws: PrivateAddress.RefusedHost.self) { try await PrivateAddress.publicAddresses(of: "[fe80::1%25eth0]") }
        #expect(zone?.reason.contains("not an IPv6 address") == true)
        let local = await #expect(throws: PrivateAddress.RefusedHost.self) { try await PrivateAddress.publicAddresses(of: "localhost") }
        #expect(local?.reason.hasPrefix("resolves to ") == true, "\(String(describing: local))")
        #expect(try await PrivateAddress.publicAddresses(of: "[2606:4700::1111]") == [try #require(IPAddress("2606:4700::1111"))])
        #expect(try await PrivateAddress.publicAddresses(of: "8.8.8.8").map(\.description) == ["8.8.8.8"])
    }
}
