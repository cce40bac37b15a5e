import OzziTestSupport
import Testing
import OzziRuntime

/// `DNSClient` against a real name server on loopback (Tests/clients/dns_server.py, dnslib).
@Suite struct DNSClientTests {
    static let dkim = "v=DKIM1; k=rsa; p=" + String(repeating: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", count: 9)

    static var zone: [String: [String: Any]] { [
        "example.test": ["TXT": ["v=spf1 include:amazonses.com ~all", "google-site-verification=abc"],
                         "MX": [[10, "mx1.example.test"], [20, "mx2.example.test"]], "A": ["192.0.2.10"], "AAAA": ["2001:db8::10"]],
        "sel._domainkey.example.test": ["TXT": [dkim]],
        "split.example.test": ["TXT": [["v=DKIM1; ", "k=rsa; ", "p=abc"]]],
        "www.example.test": ["CNAME": "example.test"],
        "big.example.test": ["truncate": true, "TXT": [dkim, "second"]],
        "decoyed.example.test": ["decoys": true, "TXT": ["the real one"]],
        "flaky.example.test": ["drop": 1, "TXT": ["after a retry"]],
        "silent.example.test": ["drop": 1000, "TXT": ["never"]],
        "broken.example.test": ["rcode": "SERVFAIL"],
        "refusing.example.test": ["rcode": "REFUSED"],
    ] }

    static func withServer(_ body: (DNSTestServer, DNSClient) async throws -> Void) async throws {
        let server = try await DNSTestServer(zone: zone)
        defer { server.stop() }
        try await body(server, DNSClient(server: server.address, timeout: .milliseconds(500)))
    }

    @Test func eachRecordType() async throws {
        try await Self.withServer { _, dns async throws in
            #expect(try await dns.query("example.test", .txt).texts == ["v=spf1 include:amazonses.com ~all", "google-site-verification=abc"])
            #expect(try await dns.query("Example.TEST.", .mx).records.map(\.data) == [.mx(preference: 10, exchange: "mx1.example.test"),
                                                                                   .mx(preference: 20, exchange: "mx2.example.test")])
            #expect(try await dns.query("example.test", .a).records.map(\.data) == [.a(IPAddress("192.0.2.10")!)])
            #expect(try await dns.query("example.test", .aaaa).records.map(\.data) == [.aaaa(IPAddress("2001:db8::10")!)])
            #expect(try await dns.query("www.example.test", .cname).records.map(\.data) == [.cname("example.test")])
            // An alias's TXT is its target's, as the server's answer spells out.
            #expect(try await dns.query("www.example.test", .txt).texts.first == "v=spf1 include:amazonses.com ~all")
        }
    }

    /// A TXT value over 255 bytes travels as several character-strings; the client joins them.
    @Test func longTXTJoined() async throws {
        try await Self.withServer { _, dns async throws in
            let answer = try await dns.query("sel._domainkey.example.test", .txt)
            guard case .txt(let strings) = answer.records.first?.data else { Issue.record("no TXT: \(answer)"); return }
            #expect(strings.count == 2 && strings[0].utf8.count == 255)
            #expect(answer.texts == [Self.dkim])
            #expect(try await dns.query("split.example.test", .txt).texts == ["v=DKIM1; k=rsa; p=abc"])
        }
    }

    @Test func truncatedAnswerAskedAgainOverTCP() async throws {
        try await Self.withServer { server, dns async throws in
            #expect(try await dns.query("big.example.test", .txt).texts == [Self.dkim, "second"])
            #expect(try await server.queries(atLeast: 2) == ["udp big.example.test TXT", "tcp big.example.test TXT"])
        }
    }

    @Test func missingIsNotFailure() async throws {
        try await Self.withServer { _, dns async throws in
            #expect(try await dns.query("nowhere.example.test", .txt) == .noSuchName)
            #expect(try await dns.query("sel._domainkey.example.test", .mx) == .noRecords)
            await #expect(throws: DNSError.serverFailure(rcode: 2, server: dns.server.description)) { try await dns.query("broken.example.test", .txt) }
            await #expect(throws: DNSError.serverFailure(rcode: 5, server: dns.server.description)) { try await dns.query("refusing.example.test", .txt) }
            await #expect(throws: DNSError.invalidName("bad..name")) { try await dns.query("bad..name", .txt) }
        }
    }

    /// Replies with another id, or for another question, are not taken for the answer.
    @Test func decoysIgnored() async throws {
        try await Self.withServer { _, dns async throws in
            #expect(try await dns.query("decoyed.example.test", .txt).texts == ["the real one"])
        }
    }

    @Test func retriedOnceAfterATimeout() async throws {
        try await Self.withServer { server, dns async throws in
            #expect(try await dns.query("flaky.example.test", .txt).texts == ["after a retry"])
            #expect(try await server.queries(atLeast: 2) == ["udp flaky.example.test TXT", "udp flaky.example.test TXT"])
            let silent = DNSClient(server: server.address, timeout: .milliseconds(200))
            await #expect(throws: DNSError.timedOut(server: server.address.description)) { try await silent.query("silent.example.test", .txt) }
            #expect(try await server.queries(atLeast: 4).filter { $0 == "udp silent.example.test TXT" }.count == 2)
        }
    }

    /// The zone may change between questions: nothing is cached.
    @Test func answersFollowTheZone() async throws {
        try await Self.withServer { server, dns async throws in
            #expect(try await dns.query("new.example.test", .txt) == .noSuchName)
            try server.serve(["new.example.test": ["TXT": ["v=DMARC1; p=none"]]])
            #expect(try await dns.query("new.example.test", .txt).texts == ["v=DMARC1; p=none"])
        }
    }

    /// Nothing listens on the port: the kernel's port-unreachable ends the question at once.
    @Test func unreachableServer() async throws {
        let dns = DNSClient(server: DNSServerAddress(host: "127.0.0.1", port: UInt16(try freeLoopbackPort())), timeout: .seconds(30))
        await #expect { try await dns.query("example.test", .txt) } throws: { error in
            if case DNSError.unreachable = error { true } else { false }
        }
    }
}
