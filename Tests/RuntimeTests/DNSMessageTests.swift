import Testing
@testable import OzziRuntime

/// The DNS wire format and the exchange's decisions, without sockets.
@Suite struct DNSMessageTests {
    /// A query's exact bytes: header with RD, the question, an EDNS0 OPT record advertising 1232 bytes.
    @Test func queryBytes() throws {
        let bytes = DNSMessage.query(id: 0x1234, try DNSQuestion("Example.com.", .mx))
        #expect(bytes == [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
                          7, 0x45, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0, 0, 15, 0, 1,
                          0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0])
    }

    /// example.com CNAME mail.example.com (compressed twice), and mail's TXT of two character-strings.
    static let aliasedTXT: [UInt8] = [0xbe, 0xef, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
                                      7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0, 16, 0, 1,
                                      0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7, 4] + Array("mail".utf8) + [0xc0, 12,
                                      0xc0, 41, 0, 16, 0, 1, 0, 0, 0, 60, 0, 13, 7] + Array("v=spf1 ".utf8) + [4] + Array("-all".utf8)

    @Test func parsesCompressedNamesAndJoinsTXTStrings() throws {
        let message = try DNSMessage(parsing: Self.aliasedTXT)
        #expect(message.id == 0xbeef && message.isResponse && !message.truncated && message.rcode == 0)
        #expect(message.questions.count == 1 && message.questions[0].name == "example.com")
        #expect(message.answers == [DNSRecord(name: "example.com", ttl: 60, data: .cname("mail.example.com")),
                                    DNSRecord(name: "mail.example.com", ttl: 60, data: .txt(["v=spf1 ", "-all"]))])
        let records = DNSExchange.records(answering: try DNSQuestion("EXAMPLE.com", .txt), in: message.answers)
        #expect(records.map(\.data.text) == ["v=spf1 -all"])
        #expect(DNSExchange.records(answering: try DNSQuestion("example.com", .cname), in: message.answers).map(\.data) == [.cname("mail.example.com")])
        #expect(DNSExchange.records(answering: try DNSQuestion("example.com", .mx), in: message.answers).isEmpty)
    }

    @Test func refusesBrokenMessages() {
        var selfPointer = Self.aliasedTXT
        selfPointer[12] = 0xc0
        selfPointer[13] = 12
        #expect(throws: DNSError.malformed("a name pointer does not point backwards")) { try DNSMessage(parsing: selfPointer) }
        var longTXT = Self.aliasedTXT
        longTXT[longTXT.count - 5] = 9  // "-all" claims 9 bytes
        #expect(throws: DNSError.self) { try DNSMessage(parsing: longTXT) }
        #expect(throws: DNSError.self) { try DNSMessage(parsing: Array(Self.aliasedTXT.prefix(50))) }
        #expect(throws: DNSError.self) { try DNSMessage(parsing: [0xbe, 0xef, 0x81]) }
    }

    /// A truncated answer keeps its whole records and drops the cut one.
    @Test func truncatedAnswerKeepsWholeRecords() throws {
        var bytes = Self.aliasedTXT
        bytes[2] |= 0x02
        let message = try DNSMessage(parsing: Array(bytes.prefix(bytes.count - 3)))
        #expect(message.truncated && message.answers.map(\.data) == [.cname("mail.example.com")])
    }

    @Test func questionNames() throws {
        #expect(try DNSQuestion("_dmarc.example.com.", .txt).name == "_dmarc.example.com")
        for bad in ["", ".", "a..b", String(repeating: "a", count: 64) + ".com", "has space.com", "exämple.com",
                    Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")] {
            #expect(throws: DNSError.invalidName(bad)) { try DNSQuestion(bad, .txt) }
        }
        #expect(try DNSQuestion(Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61), .a)
            .wireName.count == 255)
    }

    @Test func serverAddresses() {
        #expect(DNSServerAddress("127.0.0.1:5353") == DNSServerAddress(host: "127.0.0.1", port: 5353))
        #expect(DNSServerAddress("[::1]:53") == DNSServerAddress(host: "::1", port: 53))
        #expect(DNSServerAddress("2001:db8::53") == DNSServerAddress(host: "2001:db8::53", port: 53))
        #expect(DNSServerAddress("ns.example.com") == DNSServerAddress(host: "ns.example.com", port: 53))
        #expect(DNSServerAddress("[::1]:53").map(\.description) == "[::1]:53")
        for bad in ["", "host:", "host:0", "host:70000", "[::1", "[::1]x", "a b:53"] { #expect(DNSServerAddress(bad) == nil, "\(bad)") }
        let conf = "# generated\nsearch example.com\noptions ndots:2\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n"
        #expect(DNSServerAddress.first(inResolvConf: conf) == DNSServerAddress(host: "10.0.0.2"))
        #expect(DNSServerAddress.first(inResolvConf: "search x\n") == nil)
        #expect(DNSServerAddress.system(resolvConf: "/nonexistent") == DNSServerAddress(host: "127.0.0.1"))
    }

    // MARK: - The exchange

    /// An answer to `question` from the server: `id`, flags, and TXT records at the name.
    static func reply(id: UInt16, _ question: DNSQuestion, rcode: UInt8 = 0, truncated: Bool = false, txt: [String] = []) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), truncated ? 0x83 : 0x81, 0x80 | rcode, 0, 1, 0, UInt8(txt.count), 0, 0, 0, 0]
        bytes += question.wireName + [0, UInt8(question.type.rawValue), 0, 1]
        for value in txt {
            bytes += [0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, UInt8(value.utf8.count + 1), UInt8(value.utf8.count)] + Array(value.utf8)
        }
        return bytes
    }

    static func exchange(_ question: DNSQuestion, attempts: Int = 2) -> DNSExchange {
        nonisolated(unsafe) var next: UInt16 = 100
        return DNSExchange(question, server: "127.0.0.1:53", attempts: attempts) {
            next += 1
            return next
        }
    }

    @Test func exchangeGoesToTCPWhenTruncated() throws {
        let question = try DNSQuestion("big.example.com", .txt)
        var exchange = Self.exchange(question)
        #expect(exchange.start() == .send(DNSMessage.query(id: 101, question), over: .udp))
        #expect(exchange.received(Self.reply(id: 101, question, truncated: true)) == .send(DNSMessage.query(id: 102, question), over: .tcp))
        // The late UDP id is not this TCP query's.
        #expect(exchange.received(Self.reply(id: 101, question, txt: ["x"])) == .finish(.failure(.malformed("the TCP answer does not answer big.example.com TXT"))))
    }

    @Test func exchangeIgnoresOtherAnswersOverUDP() throws {
        let question = try DNSQuestion("example.com", .txt), other = try DNSQuestion("example.net", .txt)
        var exchange = Self.exchange(question)
        _ = exchange.start()
        #expect(exchange.received(Self.reply(id: 7, question, txt: ["forged"])) == .keepWaiting)
        #expect(exchange.received(Self.reply(id: 101, other, txt: ["forged"])) == .keepWaiting)
        #expect(exchange.received(Self.reply(id: 101, try DNSQuestion("example.com", .mx))) == .keepWaiting)
        #expect(exchange.received(DNSMessage.query(id: 101, question)) == .keepWaiting)
        #expect(exchange.received([1, 2, 3]) == .keepWaiting)
        let answer = exchange.received(Self.reply(id: 101, question, txt: ["v=spf1 -all"]))
        #expect(answer == .finish(.success(.found([DNSRecord(name: "example.com", ttl: 60, data: .txt(["v=spf1 -all"]))]))))
    }

    @Test func exchangeRetriesOnceAfterATimeout() throws {
        let question = try DNSQuestion("example.com", .a)
        var exchange = Self.exchange(question)
        _ = exchange.start()
        #expect(exchange.timedOut() == .send(DNSMessage.query(id: 102, question), over: .udp))
        // The first attempt's answer, late, is not taken for the second's.
        #expect(exchange.received(Self.reply(id: 101, question)) == .keepWaiting)
        #expect(exchange.timedOut() == .finish(.failure(.timedOut(server: "127.0.0.1:53"))))
    }

    @Test func exchangeTellsNoNameNoRecordsAndFailureApart() throws {
        let question = try DNSQuestion("example.com", .txt)
        for (rcode, expected) in [(0, Result<DNSAnswer, DNSError>.success(.noRecords)), (3, .success(.noSuchName)),
                                  (2, .failure(.serverFailure(rcode: 2, server: "127.0.0.1:53"))),
                                  (5, .failure(.serverFailure(rcode: 5, server: "127.0.0.1:53")))] {
            var exchange = Self.exchange(question)
            _ = exchange.start()
            #expect(exchange.received(Self.reply(id: 101, question, rcode: UInt8(rcode))) == .finish(expected))
        }
    }
}
