@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The SMTP provider against a local aiosmtpd server: STARTTLS before AUTH, the envelope, every header
/// of the message as a mail client reads it, a DKIM signature dkimpy verifies, and what each outcome
/// means for the email.
@Suite struct SMTPClientTests {
    static let clock = ManualClock(milliseconds: 1_796_119_200_000)  // 2026-12-01T10:00:00Z
    static let signer = DKIMSigner(domain: "mail.example.com", selector: "ozzi1", key: try! RSAKey.generate())

    static func email(to: String = "Reader <reader@example.org>") -> OutgoingEmail {
        OutgoingEmail(messageID: "msg_smtp_1", workspaceID: "ws_1", from: "\"News, Desk\" <news@mail.example.com>", to: to,
                      replyTo: "desk@example.com", subject: "Spring programme \u{2014} caf\u{e9} talks",
                      html: "<p>Hello <b>reader</b></p>", text: "Hello reader",
                      headers: [EmailHeader(name: "List-Unsubscribe", value: "<https://app.example.com/u/tok_123>"),
                                EmailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")],
                      tags: [])
    }

    static func send(_ email: OutgoingEmail, server: LocalSMTPServer, signers: [DKIMSigner] = [signer], timeout: Int = 20_000,
                     password: String = LocalSMTPServer.password) async throws -> SendResult {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let client = SMTPEmailClient(host: "127.0.0.1", port: server.port, security: .startTLS, username: LocalSMTPServer.user,
                                     password: password, signers: signers, outbound: OutboundFetcher(worker: "api", allowed: []),
                                     clock: clock, timeoutMilliseconds: timeout, publicAddressesOnly: false, caFile: server.caFile)
        let results = await Task(executorPreference: group.loops[0]) { await client.send([email]) }.value
        #expect(results.count == 1)
        return results[0]
    }

    @Test func sendsASignedMessageOverStartTLSWithAuth() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let result = try await Self.send(Self.email(), server: server)
        #expect(result == .accepted(providerID: "<msg_smtp_1@mail.example.com>"))
        let auths = try server.auths()
        #expect(auths.count == 1 && auths[0]["ok"] as? Bool == true && auths[0]["tls"] as? Bool == true, "AUTH after STARTTLS: \(auths)")
        let received = try #require(try server.messages().first)
        #expect(received["mail_from"] as? String == "news@mail.example.com")
        #expect(received["rcpt_tos"] as? [String] == ["reader@example.org"])
        #expect(received["tls"] as? Bool == true)
        let data = Array((received["data"] as? String ?? "").unicodeScalars.map { UInt8($0.value) })  // latin-1 back to bytes

        let message = try await MIMEMessageTests.parsed(data)
        let headers = (message["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
        #expect(headers.first?.0 == "DKIM-Signature")
        #expect(headers.map(\.0) == ["DKIM-Signature", "Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version",
                                     "X-Ozzi-Message-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type"])
        #expect((message["from"] as? [[String: String]]) == [["name": "News, Desk", "address": "news@mail.example.com"]])
        #expect((message["to"] as? [[String: String]]) == [["name": "Reader", "address": "reader@example.org"]])
        #expect((message["reply_to"] as? [[String: String]]) == [["name": "", "address": "desk@example.com"]])
        #expect(message["subject"] as? String == "Spring programme \u{2014} caf\u{e9} talks")
        #expect(message["date"] as? String == "2026-12-01T10:00:00+00:00")
        #expect(message["message_id"] as? String == "<msg_smtp_1@mail.example.com>")
        #expect(headers.first { $0.0 == "X-Ozzi-Message-Id" }?.1 == "msg_smtp_1")
        #expect(headers.first { $0.0 == "List-Unsubscribe" }?.1 == "<https://app.example.com/u/tok_123>")
        #expect(headers.first { $0.0 == "List-Unsubscribe-Post" }?.1 == "List-Unsubscribe=One-Click")
        #expect(message["content_type"] as? String == "multipart/alternative")
        let parts = message["parts"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html"])
        #expect(parts.map { ($0["content"] as? String)?.trimmingCharacters(in: .newlines) } == ["Hello reader", "<p>Hello <b>reader</b></p>"])
        #expect((message["defects"] as? [String])?.isEmpty == true)

        let signature = DKIMTests.tags(data)
        #expect(signature["d"] == "mail.example.com" && signature["s"] == "ozzi1" && signature["t"] == "1796119200")
        #expect(signature["h"] == "from:to:subject:date:message-id:mime-version:content-type:reply-to:list-unsubscribe:list-unsubscribe-post:from")
        let (verified, log) = try await DKIMTests.verify(data, record: Self.signer.dnsRecord, name: "ozzi1._domainkey.mail.example.com")
        #expect(verified, "\(log)")
    }

    @Test func signsWithTheFromDomainsKeyOrNotAtAll() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        // A parent domain's key signs its subdomain's mail; another domain's key is not used.
        let parent = DKIMSigner(domain: "example.com", selector: "p1", key: DKIMTests.key)
        let other = DKIMSigner(domain: "example.net", selector: "o1", key: try RSAKey.generate())
        #expect(try await Self.send(Self.email(), server: server, signers: [other, parent]) == .accepted(providerID: "<msg_smtp_1@mail.example.com>"))
        #expect(try await Self.send(Self.email(), server: server, signers: [other]) == .accepted(providerID: "<msg_smtp_1@mail.example.com>"))
        let received = try server.messages().map { Array(($0["data"] as? String ?? "").unicodeScalars.map { UInt8($0.value) }) }
        #expect(received.count == 2)
        #expect(DKIMTests.tags(received[0])["d"] == "example.com")
        #expect(try await DKIMTests.verify(received[0], record: parent.dnsRecord, name: "p1._domainkey.example.com").0)
        #expect(!String(decoding: received[1], as: UTF8.self).hasPrefix("DKIM-Signature:"))
    }

    @Test func outcomesMapToTransientPermanentOrUnknown() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        func code(_ result: SendResult) -> String {
            switch result {
            case .accepted: "accepted"
            case .transient(let code, _, _): "transient \(code)"
            case .permanent(let code, _): "permanent \(code)"
            case .unknown(let code, _): "unknown \(code)"
            }
        }
        #expect(code(try await Self.send(Self.email(to: "temp-rcpt@example.org"), server: server)) == "transient smtp_451")
        #expect(code(try await Self.send(Self.email(to: "bad-rcpt@example.org"), server: server)) == "permanent smtp_550")
        #expect(code(try await Self.send(Self.email(to: "temp-data@example.org"), server: server)) == "transient smtp_452")
        #expect(code(try await Self.send(Self.email(to: "bad-data@example.org"), server: server)) == "permanent smtp_554")
        #expect(code(try await Self.send(Self.email(), server: server, password: "wrong")) == "permanent smtp_535")
        #expect(code(try await Self.send(Self.email(to: "drop-rcpt@example.org"), server: server)) == "transient connection")
        // The whole message went and no answer came: it may have been taken, and SMTP cannot dedupe a retry.
        #expect(code(try await Self.send(Self.email(to: "hang-data@example.org"), server: server, timeout: 3_000)) == "unknown timeout")

        let plain = try await LocalSMTPServer.start(.plain)
        defer { plain.stop() }
        #expect(code(try await Self.send(Self.email(), server: plain)) == "permanent starttls_unavailable")
        #expect(try plain.auths().isEmpty)
    }
}
