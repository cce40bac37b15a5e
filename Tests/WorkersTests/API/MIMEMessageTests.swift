import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The MIME builder, read back by Python's `email` package (policy.default) as a mail client would.
@Suite struct MIMEMessageTests {
    static let date: Int64 = 1_796_118_564_000 // 2026-12-01T09:49:24Z, a Tuesday

    static func email(from: String = "Ozzi Team <team@mail.example.com>", to: String = "ada@example.org", replyTo: String? = nil,
                      subject: String = "Hello", html: String? = "<p>Hello</p>", text: String = "Hello",
                      headers: [EmailHeader] = []) -> OutgoingEmail {
        OutgoingEmail(messageID: "msg_01jd3k5v7n0000000000000001", workspaceID: "ws_1", from: from, to: to, replyTo: replyTo,
                      subject: subject, html: html, text: text, headers: headers, tags: [])
    }

    /// Parses `bytes` with Python and answers its JSON view (Tests/clients/eml_parse.py).
    static func parsed(_ bytes: [UInt8]) async throws -> [String: Any] {
        let output = try await Subprocess.run("/usr/bin/python3", [MessagingTests.clients + "/eml_parse.py"], stdin: Data(bytes))
        guard output.status == 0, let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else {
            throw ParseFailure(output: "\(output.status): \(output.stderr)")
        }
        return json
    }

    struct ParseFailure: Error {
        let output: String
    }

    static func parts(_ json: [String: Any]) -> [[String: Any]] { json["parts"] as! [[String: Any]] }
    static func content(_ part: [String: Any]) -> String { (part["content"] as! String).replacingOccurrences(of: "\r\n", with: "\n") }
    static func mailbox(_ json: [String: Any], _ key: String) -> [String] {
        (json[key] as? [[String: Any]])?.flatMap { [$0["name"] as! String, $0["address"] as! String] } ?? []
    }

    @Test func everyFieldReadsBack() async throws {
        let message = MIMEMessage(email: Self.email(replyTo: "\"Support, Team\" <help@mail.example.com>", headers: [
            EmailHeader(name: "List-Unsubscribe", value: "<https://ozzi.example/u/abc>"),
            EmailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click"),
        ]), messageIDDomain: "mail.example.com", date: Self.date, boundary: "=_ozzi_test")
        let json = try await Self.parsed(message.bytes)
        #expect(Self.mailbox(json, "from") == ["Ozzi Team", "team@mail.example.com"])
        #expect(Self.mailbox(json, "to") == ["", "ada@example.org"])
        #expect(Self.mailbox(json, "reply_to") == ["Support, Team", "help@mail.example.com"])
        #expect(json["subject"] as? String == "Hello")
        #expect(json["date"] as? String == "2026-12-01T09:49:24+00:00")
        #expect(json["message_id"] as? String == "<msg_01jd3k5v7n0000000000000001@mail.example.com>")
        #expect(message.messageIDHeader == "<msg_01jd3k5v7n0000000000000001@mail.example.com>")
        #expect(json["content_type"] as? String == "multipart/alternative")
        #expect(json["boundary"] as? String == "=_ozzi_test")
        #expect((json["defects"] as! [String]).isEmpty)
        let names = (json["headers"] as! [[String]]).map { $0[0] }
        #expect(names == ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "X-Ozzi-Message-Id",
                          "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type"])
        let values = Dictionary((json["headers"] as! [[String]]).map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        #expect(values["List-Unsubscribe"] == "<https://ozzi.example/u/abc>")
        #expect(values["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(values["X-Ozzi-Message-Id"] == "msg_01jd3k5v7n0000000000000001")
        #expect(values["MIME-Version"] == "1.0")
        let raw = String(decoding: message.bytes, as: UTF8.self)
        #expect(raw.hasPrefix("Date: Tue, 01 Dec 2026 09:49:24 +0000\r\n"))
        let parts = Self.parts(json)
        #expect(parts.map { $0["content_type"] as! String } == ["text/plain", "text/html"])
        #expect(parts.map { Self.content($0) } == ["Hello", "<p>Hello</p>"])
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" && $0["encoding"] as? String == "quoted-printable" })
        #expect(parts.allSatisfy { ($0["defects"] as! [String]).isEmpty })
        #expect(json["bare_lf"] as? Bool == false && json["bare_cr"] as? Bool == false && json["ends_crlf"] as? Bool == true)
    }

    @Test func textAloneIsOnePart() async throws {
        let message = MIMEMessage(email: Self.email(html: nil, text: "Just text.\nTwo lines."), messageIDDomain: "mail.example.com", date: Self.date)
        let json = try await Self.parsed(message.bytes)
        #expect(json["content_type"] as? String == "text/plain")
        #expect(json["boundary"] is NSNull)
        let parts = Self.parts(json)
        #expect(parts.count == 1)
        #expect(Self.content(parts[0]) == "Just text.\nTwo lines.\n")
        #expect(parts[0]["encoding"] as? String == "quoted-printable")
    }

    @Test func nonASCIISubjectAndNamesAreEncodedWords() async throws {
        let subject = "Réunion du comité — 東京で会いましょう 🎉 " + String(repeating: "long words here ", count: 8)
        let message = MIMEMessage(email: Self.email(from: "Zoë Ångström <zoe@mail.example.com>", to: "山田 太郎 <taro@example.jp>",
                                                    subject: subject), messageIDDomain: "mail.example.com", date: Self.date)
        let raw = String(decoding: message.bytes, as: UTF8.self)
        let head = raw[..<raw.range(of: "\r\n\r\n")!.lowerBound]
        #expect(head.utf8.allSatisfy { $0 < 0x80 }, "headers are 7-bit")
        #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let json = try await Self.parsed(message.bytes)
        #expect(json["subject"] as? String == subject)
        #expect(Self.mailbox(json, "from") == ["Zoë Ångström", "zoe@mail.example.com"])
        #expect(Self.mailbox(json, "to") == ["山田 太郎", "taro@example.jp"])
        #expect((json["defects"] as! [String]).isEmpty)
    }

    @Test func namesThatNeedQuotesAreQuoted() async throws {
        for name in ["Doe, John", "A \"quoted\" \\ name", "Dr. Who", "x <y> z", "Tab\there"] {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let message = MIMEMessage(email: Self.email(from: "\"\(escaped)\" <a@mail.example.com>"), messageIDDomain: "m.example", date: Self.date)
            let json = try await Self.parsed(message.bytes)
            #expect(Self.mailbox(json, "from") == [name, "a@mail.example.com"], "\(name)")
            #expect((json["defects"] as! [String]).isEmpty, "\(name)")
        }
    }

    @Test func headerValuesCannotAddHeaders() async throws {
        let message = MIMEMessage(email: Self.email(subject: "Hi\r\nBcc: victim@example.com", headers: [
            EmailHeader(name: "X-Campaign", value: "a\nX-Injected: 1"),
            EmailHeader(name: "Subject", value: "a second subject"),
            EmailHeader(name: "Bad Name", value: "dropped"),
        ]), messageIDDomain: "m.example", date: Self.date)
        let json = try await Self.parsed(message.bytes)
        let names = (json["headers"] as! [[String]]).map { $0[0] }
        #expect(!names.contains("Bcc") && !names.contains("X-Injected") && !names.contains("Bad Name"))
        #expect(names.filter { $0 == "Subject" }.count == 1)
        #expect(json["subject"] as? String == "Hi  Bcc: victim@example.com")
    }

    @Test func longLinesEqualsAndDotsSurvive() async throws {
        let long = String(repeating: "abcdefghij", count: 200)
        let text = "\(long)\n.\n.leading dot\n=3D is not an escape\nFrom the start\ntrailing blank \nend\t"
        let html = "<p>\(String(repeating: "é", count: 2000))</p>\n.\n<p>=</p>"
        let longSubject = String(repeating: "x", count: 1200)
        let message = MIMEMessage(email: Self.email(subject: longSubject, html: html, text: text), messageIDDomain: "m.example", date: Self.date)
        let lines = String(decoding: message.bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let body = lines.drop { !$0.isEmpty }
        #expect(body.allSatisfy { $0.utf8.count <= 76 && !$0.hasPrefix(".") && !$0.hasPrefix("From ") })
        let json = try await Self.parsed(message.bytes)
        #expect((json["longest_line"] as! Int) <= 78)
        #expect(json["subject"] as? String == longSubject)
        let parts = Self.parts(json)
        #expect(parts.map { Self.content($0) } == [text, html])
    }

    @Test func quotedPrintableEdges() {
        func qp(_ text: String) -> String {
            var out: [UInt8] = []
            QuotedPrintable.encode(text, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(qp("a=b") == "a=3Db")
        #expect(qp("a \nb\t") == "a=20\r\nb=09")
        #expect(qp("x\r\ny\rz") == "x\r\ny\r\nz")
        #expect(qp(".x\n..") == "=2Ex\r\n=2E.")
        #expect(qp("From me\nFrom") == "=46rom me\r\nFrom")
        #expect(qp("é") == "=C3=A9")
        let wrapped = qp(String(repeating: "é", count: 30))
        #expect(wrapped.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(wrapped.components(separatedBy: "\r\n").dropLast().allSatisfy { $0.hasSuffix("=") })
        #expect(wrapped.components(separatedBy: "\r\n")[0].utf8.count == 76)
    }

    @Test func datesAreRFC5322() {
        #expect(MailDate.format(milliseconds: 0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.format(milliseconds: Self.date) == "Tue, 01 Dec 2026 09:49:24 +0000")
        #expect(MailDate.format(milliseconds: 951_782_400_000) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MailDate.format(milliseconds: -1) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    /// Both forms agree with C's `strftime` and `asctime_r` (glibc) over instants from 1900 to 2200.
    @Test func datesMatchTheCLibrary() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            var seconds = time_t(milliseconds >= 0 || milliseconds % 1000 == 0 ? milliseconds / 1000 : milliseconds / 1000 - 1)
            var fields = tm()
            gmtime_r(&seconds, &fields)
            var buffer = [CChar](repeating: 0, count: 64)
            strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S +0000", &fields)
            #expect(MailDate.format(milliseconds: milliseconds) == String(cString: buffer), "\(milliseconds)")
            asctime_r(&fields, &buffer)
            #expect(MailDate.asctime(milliseconds: milliseconds) + "\n" == String(cString: buffer), "\(milliseconds)")
        }
    }

    @Test func addressesParse() {
        #expect(MailAddress(parsing: "Ada <ada@example.org>") == MailAddress(name: "Ada", address: "ada@example.org"))
        #expect(MailAddress(parsing: "  ada@example.org ") == MailAddress(name: nil, address: "ada@example.org"))
        #expect(MailAddress(parsing: "\"Doe, \\\"J\\\"\" <j@x.org>") == MailAddress(name: "Doe, \"J\"", address: "j@x.org"))
        #expect(MailAddress(parsing: "<j@x.org>") == MailAddress(name: nil, address: "j@x.org"))
    }

    @Test func boundariesAreRandom() {
        #expect(MIMEMessage.randomBoundary() != MIMEMessage.randomBoundary())
        #expect(MIMEMessage.randomBoundary().hasPrefix("=_"))
    }
}
