import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// SMTP submission through libcurl on an event loop, against a local aiosmtpd server: TLS before AUTH,
/// the envelope and the bytes as sent, and each way a submission can end.
@Suite struct SMTPSubmissionTests {
    static let message = Array("""
        From: a@example.com\r
        To: b@example.org\r
        Subject: dots\r
        \r
        first line\r
        .a line starting with a dot\r
        .\r
        last line\r

        """.utf8)

    /// Submits from a task on a running loop, as a worker does.
    static func submit(_ server: LocalSMTPServer, mode: SMTPSubmission.Security = .startTLS, to recipient: String = "reader@example.org",
                       password: String = LocalSMTPServer.password, caFile: String?? = .none, timeout: Int = 20_000,
                       publicOnly: Bool = false, message: [UInt8] = message) async throws -> SMTPOutcome {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let submission = SMTPSubmission(host: "127.0.0.1", port: server.port, security: mode, username: LocalSMTPServer.user,
                                        password: password, heloName: "mail.example.com", from: "bounces@mail.example.com",
                                        recipients: [recipient], message: message, caFile: caFile ?? server.caFile,
                                        timeoutMilliseconds: timeout, publicAddressesOnly: publicOnly)
        let fetcher = OutboundFetcher(worker: "test", allowed: [])
        return await Task(executorPreference: group.loops[0]) { await fetcher.submit(submission) }.value
    }

    @Test func startTLSThenAuthThenTheMessageAsSent() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let outcome = try await Self.submit(server)
        guard case .accepted(let reply) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reply.code == 250)
        let messages = try server.messages()
        #expect(messages.count == 1)
        #expect(reply.text == "2.0.0 Ok: queued as \(messages.first?["queue_id"] as? String ?? "?")")
        #expect(messages.first?["mail_from"] as? String == "bounces@mail.example.com")
        #expect(messages.first?["rcpt_tos"] as? [String] == ["reader@example.org"])
        #expect(messages.first?["tls"] as? Bool == true)
        #expect(messages.first?["authenticated"] as? Bool == true)
        // Dot-stuffed on the way and unstuffed by the server: the bytes arrive as given.
        #expect(messages.first?["data"] as? String == String(decoding: Self.message, as: UTF8.self))
        let auths = try server.auths()
        #expect(auths.count == 1)
        #expect(auths.first?["ok"] as? Bool == true)
        #expect(auths.first?["tls"] as? Bool == true, "AUTH came after STARTTLS")
        #expect(["PLAIN", "LOGIN"].contains(auths.first?["mechanism"] as? String ?? ""))
        #expect(auths.first?["login"] as? String == LocalSMTPServer.user)
    }

    @Test func implicitTLS() async throws {
        let server = try await LocalSMTPServer.start(.tls)
        defer { server.stop() }
        let outcome = try await Self.submit(server, mode: .implicitTLS)
        guard case .accepted = outcome else { Issue.record("\(outcome)"); return }
        #expect(try server.messages().first?["tls"] as? Bool == true)
    }

    @Test func neverLogsInWithoutTLS() async throws {
        let plain = try await LocalSMTPServer.start(.plain)
        defer { plain.stop() }
        let outcome = try await Self.submit(plain)
        guard case .failed(let failure) = outcome else { Issue.record("\(outcome)"); return }
        #expect(failure.kind == .tlsUnavailable)
        #expect(!failure.messageSent)
        #expect(try plain.auths().isEmpty, "the password never crossed in the clear")

        // A certificate the client does not trust is a TLS failure, before AUTH too.
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let untrusted = try await Self.submit(server, caFile: .some(nil))
        guard case .failed(let tls) = untrusted else { Issue.record("\(untrusted)"); return }
        #expect(tls.kind == .tls)
        #expect(try server.auths().isEmpty)
    }

    @Test func refusalsBeforeAndAfterTheData() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let cases: [(String, Int, Bool)] = [
            ("temp-rcpt@example.org", 451, false), ("bad-rcpt@example.org", 550, false),
            ("temp-data@example.org", 452, true), ("bad-data@example.org", 554, true),
        ]
        for (recipient, code, afterData) in cases {
            let outcome = try await Self.submit(server, to: recipient)
            guard case .rejected(let reply, let after) = outcome else { Issue.record("\(recipient): \(outcome)"); continue }
            #expect(reply.code == code, "\(recipient)")
            #expect(after == afterData, "\(recipient)")
        }
        let denied = try await Self.submit(server, password: "wrong")
        guard case .rejected(let reply, false) = denied else { Issue.record("\(denied)"); return }
        #expect(reply.code == 535)
        #expect(try server.messages().isEmpty)
    }

    @Test func aConnectionLostBeforeTheDataIsNotSentAndSilenceAfterItMayBe() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let dropped = try await Self.submit(server, to: "drop-rcpt@example.org")
        guard case .failed(let lost) = dropped else { Issue.record("\(dropped)"); return }
        #expect(lost.kind == .connection)
        #expect(!lost.messageSent)

        let hung = try await Self.submit(server, to: "hang-data@example.org", timeout: 3_000)
        guard case .failed(let silent) = hung else { Issue.record("\(hung)"); return }
        #expect(silent.kind == .timedOut)
        #expect(silent.messageSent, "the server has the whole message and never answered")
        #expect(try server.messages().count == 1)
    }

    @Test func publicOnlySubmissionsRefuseLoopback() async throws {
        let server = try await LocalSMTPServer.start(.starttls)
        defer { server.stop() }
        let outcome = try await Self.submit(server, publicOnly: true)
        guard case .failed(let failure) = outcome else { Issue.record("\(outcome)"); return }
        #expect(failure.kind == .refusedAddress)
        #expect(failure.message.contains("refused to connect to 127.0.0.1, loopback"))
        #expect(try server.auths().isEmpty)
    }
}
