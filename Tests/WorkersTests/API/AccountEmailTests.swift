@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Account email through the system sender: sign-up that tells no one whether an address has an account,
/// verification, password resets, mailed invitations, retries through an outage, and escaping.
@Suite struct AccountEmailTests {
    static let password = "correct horse battery"
    static let verifyPath = "/api/v1/auth/verify-email"
    static let resetPath = "/api/v1/auth/password-reset"

    func signUpRaw(_ api: WorkerTestHost, _ email: String, password: String = Self.password, name: String? = nil) async throws -> TestResponse {
        var body: [String: JSONValue] = ["email": .string(email), "password": .string(password)]
        if let name { body["name"] = .string(name) }
        return try await api.call("POST", "/api/v1/auth/signup", json: .object(body))
    }

    func mails(_ api: WorkerTestHost, _ address: String) -> [AccountMailbox.Email] {
        AccountMailbox.emails(in: api.dataDirectory, to: address)
    }

    func login(_ api: WorkerTestHost, _ email: String, _ password: String = Self.password) async throws -> TestResponse {
        try await api.call("POST", "/api/v1/auth/login", json: ["email": .string(email), "password": .string(password)])
    }

    @Test func signUpAnswersAlikeWhetherOrNotTheAddressHasAnAccount() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        #expect(try await api.signUp("taken@example.com").status == 201)
        let mailedBefore = mails(api, "taken@example.com").count

        let taken = try await signUpRaw(api, "taken@example.com", password: "another horse battery")
        let fresh = try await signUpRaw(api, "fresh@example.com")
        #expect(taken.status == 202 && fresh.status == 202)
        #expect(taken.body == fresh.body && fresh.body == #"{"status":"verification_sent"}"#)
        #expect(taken.headers["content-type"] == fresh.headers["content-type"] && taken.cookies == fresh.cookies && fresh.cookies.isEmpty)

        // The owner is told someone tried, with a way in; the new address gets its verification link.
        let notice = try await AccountMailbox.next(in: api.dataDirectory, to: "taken@example.com", after: mailedBefore, path: nil)
        #expect(notice.subject == "Someone tried to create an Ozzi account with your email")
        #expect(notice.token(path: Self.resetPath) == nil, "the notice carries no token")
        #expect(notice.decoded.contains("http://127.0.0.1:8787/api/v1/auth/password-reset"))
        let verification = try await AccountMailbox.next(in: api.dataDirectory, to: "fresh@example.com", after: 0, path: Self.verifyPath)
        #expect(verification.subject == "Confirm your email address for Ozzi")
        #expect(verification.decoded.contains("From: Ozzi <no-reply@sandbox.ozzi.test>"))
        #expect(mails(api, "taken@example.com").filter { $0.token(path: Self.verifyPath) != nil }.count == 1, "only the first sign-up's link")

        // Nothing changed for the existing account.
        #expect(try await login(api, "taken@example.com").status == 200)
        #expect(try await login(api, "taken@example.com", "another horse battery").status == 401)
    }

    @Test func verificationSignsInOnceAndExpires() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        #expect(try await signUpRaw(api, "ada@example.com", name: "Ada").status == 202)
        let token = try await api.mailedToken(to: "ada@example.com", after: 0, path: Self.verifyPath)
        #expect(token.hasPrefix("ev_"))

        // Until the address is verified, the right password is refused with a code saying why.
        let early = try await login(api, "ada@example.com")
        #expect(early.status == 403 && early.string("error", "code") == "email_not_verified")
        #expect(early.string("error", "message")?.contains("/api/v1/auth/verify-email/resend") == true)
        #expect(try await login(api, "ada@example.com", "wrong horse battery").status == 401, "a wrong password says no more than before")

        let verified = try await api.call("POST", Self.verifyPath, json: ["token": .string(token)])
        #expect(verified.status == 201)
        #expect(verified.string("user", "email") == "ada@example.com" && verified.string("user", "name") == "Ada")
        #expect(verified.string("user", "email_verified_at") != nil)
        #expect(try await api.call("GET", "/api/v1/me", token: verified.string("access_token")).status == 200)
        let again = try await api.call("POST", Self.verifyPath, json: ["token": .string(token)])
        #expect(again.status == 409 && again.string("error", "code") == "invalid_token", "single use")
        #expect(try await login(api, "ada@example.com").status == 200)

        // A link older than a day no longer works; another can be asked for, answered as for any address.
        #expect(try await signUpRaw(api, "late@example.com").status == 202)
        let stale = try await api.mailedToken(to: "late@example.com", after: 0, path: Self.verifyPath)
        clock.advance(byMilliseconds: 24 * 3_600_000 + 1000)
        #expect(try await api.call("POST", Self.verifyPath, json: ["token": .string(stale)]).string("error", "code") == "invalid_token")
        let resend = try await api.call("POST", "/api/v1/auth/verify-email/resend", json: ["email": "late@example.com"])
        let nobody = try await api.call("POST", "/api/v1/auth/verify-email/resend", json: ["email": "nobody@example.com"])
        #expect(resend.status == 202 && resend.body == nobody.body)
        let fresh = try await api.mailedToken(to: "late@example.com", after: 1, path: Self.verifyPath)
        #expect(fresh != stale)
        let late = try await api.call("POST", Self.verifyPath, json: ["token": .string(fresh)])
        #expect(late.status == 201, "\(late.body)")
        #expect(try await login(api, "late@example.com").status == 200, "the password the sign-up chose")
        #expect(mails(api, "nobody@example.com").isEmpty)
    }

    @Test func anotherSignUpOfAnUnverifiedAddressNeverSetsThePasswordWithoutTheMailbox() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        // Someone signs up first with an address that is not theirs; the owner signs up after.
        #expect(try await signUpRaw(api, "victim@example.com", password: "attacker horse battery").status == 202)
        #expect(try await signUpRaw(api, "victim@example.com").status == 202)
        let owners = try await api.mailedToken(to: "victim@example.com", after: 1, path: Self.verifyPath)
        #expect(try await api.call("POST", Self.verifyPath, json: ["token": .string(owners)]).status == 201)
        #expect(try await login(api, "victim@example.com", "attacker horse battery").status == 401)
        #expect(try await login(api, "victim@example.com").status == 200)
        let first = try #require(mails(api, "victim@example.com").first?.token(path: Self.verifyPath))
        #expect(try await api.call("POST", Self.verifyPath, json: ["token": .string(first)]).string("error", "code") == "invalid_token",
                "verifying voids the other links")
    }

    @Test func passwordResetRevokesEverySessionAndWorksOnce() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("grace@example.com")
        let second = try await login(api, "grace@example.com")
        #expect(second.status == 200)

        let asked = try await api.call("POST", Self.resetPath, json: ["email": "grace@example.com"])
        let unknown = try await api.call("POST", Self.resetPath, json: ["email": "nobody@example.com"])
        #expect(asked.status == 202 && asked.body == unknown.body && asked.body == #"{"status":"reset_sent"}"#)
        let email = try await AccountMailbox.next(in: api.dataDirectory, to: "grace@example.com", after: 1, path: Self.resetPath)
        #expect(email.subject == "Reset your Ozzi password")
        let token = try #require(email.token(path: Self.resetPath))
        #expect(token.hasPrefix("pr_"))

        let weak = try await api.call("POST", Self.resetPath + "/confirm", json: ["token": .string(token), "password": "password123"])
        #expect(weak.status == 422 && weak.string("error", "details", "field") == "password")
        let reset = try await api.call("POST", Self.resetPath + "/confirm", json: ["token": .string(token), "password": "a brand new secret"])
        #expect(reset.status == 200, "\(reset.body)")
        #expect(reset["sessions_revoked"] == .number(2))
        for session in [signup, second] {
            #expect(try await api.call("GET", "/api/v1/me", token: session.string("access_token")).status == 401)
            #expect(try await api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": .string(session.string("refresh_token") ?? "")]).status == 401)
        }
        #expect(try await login(api, "grace@example.com").status == 401, "the old password is refused")
        let fresh = try await login(api, "grace@example.com", "a brand new secret")
        #expect(fresh.status == 200)
        let reused = try await api.call("POST", Self.resetPath + "/confirm", json: ["token": .string(token), "password": "yet another secret"])
        #expect(reused.status == 409 && reused.string("error", "code") == "invalid_token")

        let audit = try await api.call("GET", "/api/v1/audit-log?limit=100", token: fresh.string("access_token"))
        #expect(audit.data.contains { $0["event"] == "password_reset" && $0["details"]?["sessions_revoked"] == .number(2) }, "\(audit.body)")

        // A link lives 30 minutes.
        #expect(try await api.call("POST", Self.resetPath, json: ["email": "grace@example.com"]).status == 202)
        let late = try await api.mailedToken(to: "grace@example.com", after: 2, path: Self.resetPath)
        clock.advance(byMilliseconds: 30 * 60_000 + 1000)
        let expired = try await api.call("POST", Self.resetPath + "/confirm", json: ["token": .string(late), "password": "yet another secret"])
        #expect(expired.string("error", "code") == "invalid_token")
        #expect(try await login(api, "grace@example.com", "a brand new secret").status == 200)
    }

    @Test func resetRequestsAreLimitedPerAddress() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        var statuses: [Int] = []
        for index in 0..<6 {
            statuses.append(try await api.call("POST", Self.resetPath, json: ["email": "flooded@example.com"], from: "127.0.0.\(index + 2)").status)
        }
        #expect(statuses == [202, 202, 202, 202, 202, 429], "a mailbox cannot be flooded from many networks")
    }

    @Test func invitationsAreMailedWithAWorkingLink() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try await api.signUp("owner@example.com")
        let token = try #require(owner.string("access_token"))
        let workspace = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Acme <Support>"], token: token).string("id"))
        let invited = try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "linus@example.com", "role": "admin"], token: token)
        #expect(invited.status == 201)

        let email = try await AccountMailbox.next(in: api.dataDirectory, to: "linus@example.com", after: 0, path: "/api/v1/invitations/accept")
        #expect(email.subject == "owner@example.com invited you to Acme <Support> on Ozzi")
        #expect(email.decoded.contains("join the workspace Acme &lt;Support&gt; on Ozzi as an admin"), "escaped in the HTML part")
        let link = try #require(email.token(path: "/api/v1/invitations/accept"))
        #expect(link == invited.string("token"), "the inviter is answered the token the email carries")

        // The page the link opens carries no token (it stays in the fragment) and posts it back.
        let page = try await api.call("GET", "/api/v1/invitations/accept")
        #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8" && page.headers["cache-control"] == "no-store")
        #expect(page.body.contains("location.hash") && !page.body.contains(link))

        let linus = try #require(try await api.signUp("linus@example.com").string("access_token"))
        let accepted = try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(link)], token: linus)
        #expect(accepted.status == 200 && accepted.string("id") == workspace && accepted.string("role") == "admin")
    }

    @Test func aProviderOutageIsRetriedUntilTheEmailGoesOut() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let log = LogRecords()
        let api = try await APIHost.start(clock: clock, log: log)
        defer { Task { await api.stop() } }
        // The simulated provider answers 500 to its first two attempts at this address.
        #expect(try await signUpRaw(api, "flaky@simulator.ozzi.test").status == 202)
        #expect(try await Poll.until { log.all.filter { $0.message == "account email not sent yet; retrying" }.count == 1 })
        #expect(mails(api, "flaky@simulator.ozzi.test").isEmpty)
        clock.advance(byMilliseconds: 30_000)
        #expect(try await Poll.until { log.all.filter { $0.message == "account email not sent yet; retrying" }.count == 2 })
        #expect(log.all.last { $0.message == "account email not sent yet; retrying" }?.metadata["retry_in_s"] == "120.0", "backing off")
        clock.advance(byMilliseconds: 120_000)
        let token = try await api.mailedToken(to: "flaky@simulator.ozzi.test", after: 0, path: Self.verifyPath)
        #expect(try await api.call("POST", Self.verifyPath, json: ["token": .string(token)]).status == 201, "the token of the retried email works")
        #expect(mails(api, "flaky@simulator.ozzi.test").count == 1, "sent once")

        // An address the provider refuses for good is not retried: the job is dead-lettered with a line saying why.
        #expect(try await signUpRaw(api, "rejected@simulator.ozzi.test").status == 202)
        #expect(try await Poll.until { log.all.contains { $0.message.hasPrefix("account email dead-lettered: the provider refused the email for good") } })
    }

    @Test func valuesInTheHTMLAreEscaped() async throws {
        let email = AccountEmail(.invitation, to: "x@example.com", name: nil, workspace: "R&D \"Lab\"", inviter: "<script>alert(1)</script>", role: "member")
        let content = AccountEmailContent(email, token: "inv_abc", publicURL: "https://ozzi.example")
        #expect(!content.html.contains("<script>") && content.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(content.html.contains("R&amp;D &quot;Lab&quot;"))
        #expect(content.text.contains("<script>alert(1)</script> invited you to join the workspace R&D \"Lab\""), "the text part is as written")
        #expect(content.html.contains("href=\"https://ozzi.example/api/v1/invitations/accept#token=inv_abc\""))

        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        #expect(try await signUpRaw(api, "named@example.com", name: "<img src=x onerror=alert(1)>").status == 202)
        let mail = try await AccountMailbox.next(in: api.dataDirectory, to: "named@example.com", after: 0, path: Self.verifyPath)
        #expect(mail.decoded.contains("Hello &lt;img src=x onerror=alert(1)&gt;,") && !mail.decoded.contains("<p style=\"margin:0 0 16px\">Hello <img"))
    }

    @Test func retriesFollowTheProvidersGuarantees() {
        #expect(SystemEmailOutcome.decide(.accepted(providerID: "p1"), attempt: 1, idempotent: true) == .sent(providerID: "p1"))
        #expect(SystemEmailOutcome.decide(.transient(code: "503", message: "down", retryAfterSeconds: nil), attempt: 1, idempotent: false) == .retry(afterSeconds: 30))
        #expect(SystemEmailOutcome.decide(.transient(code: "503", message: "down", retryAfterSeconds: nil), attempt: 9, idempotent: false) == .retry(afterSeconds: 3600))
        #expect(SystemEmailOutcome.decide(.transient(code: "429", message: "slow down", retryAfterSeconds: 7), attempt: 2, idempotent: true) == .retry(afterSeconds: 7))
        #expect(SystemEmailOutcome.decide(.unknown(code: "timeout", message: "no answer"), attempt: 1, idempotent: true) == .retry(afterSeconds: 30),
                "Resend drops a repeat of the idempotency key")
        guard case .deadLetter(let reason) = SystemEmailOutcome.decide(.unknown(code: "timeout", message: "no answer"), attempt: 1, idempotent: false) else {
            Issue.record("an SMTP send of unknown fate was retried")
            return
        }
        #expect(reason.contains("may or may not have sent") && reason.contains("not retried"))
    }

    @Test func jobsCarryNoTokenAndReadBackTheirFields() throws {
        let email = AccountEmail(.invitation, to: "a@example.com", workspace: "Acme", inviter: "Ada", role: "member", id: "aem_1")
        let fields = email.fields
        #expect(Set(fields.keys) == ["id", "template", "to", "workspace", "inviter", "role"])
        #expect(try AccountEmail(JobPayload(kind: AccountEmail.kind, fields: fields)) == email)
        #expect(throws: JobPayloadError.self) {
            try AccountEmail(JobPayload(kind: AccountEmail.kind, fields: ["id": "aem_2", "template": "invitation", "to": "a@example.com"]))
        }
    }

    @Test func aResendOutageIsRetriedWithTheSameIdempotencyKeyUntilItWorks() async throws {
        let stub = try await ResendClientTests.stub()
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(vars: ["SYSTEM_EMAIL_PROVIDER": "resend", "SYSTEM_RESEND_API_BASE": "http://127.0.0.1:\(stub.port)"],
                                          secrets: ["SYSTEM_RESEND_API_KEY": ResendClientTests.apiKey], clock: clock)
        defer { Task { await api.stop() } }
        // The stub answers 503 to the first two attempts at an email to outage@.
        #expect(try await signUpRaw(api, "outage@example.com").status == 202)
        #expect(try await Poll.until { try await stub.requests().count == 1 })
        // A retry is planned from the clock when its attempt settles, which may be just after the stub saw
        // the attempt: time moves on a step at a time until the next one comes (the delays are
        // SystemEmailOutcome's, tested on their own).
        let next = { (count: Int) in
            try await Poll.until(interval: .milliseconds(50)) {
                if try await stub.requests().count >= count { return true }
                clock.advance(byMilliseconds: 15_000)
                return false
            }
        }
        #expect(try await next(2))
        #expect(try await next(3))
        let requests = try await stub.requests()
        #expect(Set(requests.compactMap { $0["idempotency_key"] as? String }).count == 1, "one key for every attempt: Resend sends it once")
        #expect(requests.allSatisfy { $0["path"] as? String == "/emails" && $0["authorization"] as? String == "Bearer \(ResendClientTests.apiKey)" })
        let body = try #require(requests.last?["body"] as? [String: Any])
        #expect(body["to"] as? [String] == ["outage@example.com"] && body["from"] as? String == "Ozzi <no-reply@sandbox.ozzi.test>")
        #expect(body["subject"] as? String == "Confirm your email address for Ozzi")
        let text = try #require(body["text"] as? String)
        let token = try #require(text.range(of: "/api/v1/auth/verify-email#token=").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace }) })
        #expect(try await api.call("POST", Self.verifyPath, json: ["token": .string(token)]).status == 201)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await stub.requests().count == 3, "nothing more once it is taken")
    }

    @Test func aRealProviderWithoutItsSecretStopsTheStartWithTheMissingPiece() async throws {
        for (kind, secret) in [("resend", "SYSTEM_RESEND_API_KEY"), ("smtp", "SYSTEM_SMTP_URL")] {
            do {
                let api = try await APIHost.start(vars: ["SYSTEM_EMAIL_PROVIDER": kind])
                await api.stop()
                Issue.record("the host started with SYSTEM_EMAIL_PROVIDER=\(kind) and no \(secret)")
            } catch {
                #expect("\(error)".contains(secret), "\(error)")
            }
        }
    }

    @Test func theSMTPServerIsOneURL() throws {
        let starttls = try SystemSMTPServer(url: "smtp://relay%40example.com:p%3Ass@mail.example.com:2525")
        #expect(starttls == (try SystemSMTPServer(url: "smtp://relay%40example.com:p%3Ass@mail.example.com:2525")))
        #expect(starttls.host == "mail.example.com" && starttls.port == 2525 && starttls.security == .startTLS)
        #expect(starttls.username == "relay@example.com" && starttls.password == "p:ss")
        let tls = try SystemSMTPServer(url: "smtps://mail.example.com")
        #expect(tls.port == 465 && tls.security == .implicitTLS && tls.username == nil && tls.password == nil)
        #expect(try SystemSMTPServer(url: "smtp://mail.example.com").port == 587)
        for bad in ["http://mail.example.com", "smtp://", "smtp://mail.example.com:99999", "smtp://mail.example.com:x"] {
            #expect(throws: SystemEmailConfigError.self, "\(bad)") { try SystemSMTPServer(url: bad) }
        }
    }
}
