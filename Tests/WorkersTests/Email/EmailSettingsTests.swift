@testable import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// `/api/v1/email/settings` on a running host (SQLite, or PostgreSQL with OZZI_TEST_ENGINE=postgres):
/// secrets sealed at rest and never answered, who may read and change them, and the provider
/// `EmailProviders` then picks, exercised against a Resend stub and an SMTP server.
@Suite struct EmailSettingsTests {
    static let credentialsKey = Array(repeating: UInt8(7), count: 32)
    static let secrets = ["SMS_CREDENTIALS_KEY": Base64.encode(credentialsKey)]
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// An owner's token and personal workspace.
    static func owner(_ api: WorkerTestHost, _ email: String) async throws -> (token: String, scope: TenantScope) {
        let signup = try await api.signUp(email)
        return (try #require(signup.string("access_token")), TenantScope(workspaceID: try #require(signup.string("user", "personal_workspace_id"))))
    }

    /// A domain of the workspace, verified as if its records had been checked (a default sender must be on one).
    static func verifiedDomain(_ api: WorkerTestHost, _ scope: TenantScope, _ name: String, provider: String) async throws {
        let database = try await api.database("api")
        let store = SendingDomainStore(database: database, key: credentialsKey, clock: SystemClock())
        let domain = try await store.create(scope, SendingDomainStore.New(name: name, provider: provider, providerDomainID: nil, records: [],
                                                                          selector: nil, privateKeyPEM: nil, nextCheckMs: Int64.max / 2))
        try await database.prepare("UPDATE email_domains SET status = 'verified' WHERE id = ?").bind(domain.id).run()
    }

    static func put(_ api: WorkerTestHost, _ token: String, _ json: JSONValue) async throws -> TestResponse {
        try await api.call("PUT", "/api/v1/email/settings", json: json, token: token)
    }

    @Test func secretsAreSealedAtRestAndNeverAnswered() async throws {
        let api = try await APIHost.start(secrets: Self.secrets)
        defer { Task { await api.stop() } }
        let (token, scope) = try await Self.owner(api, "mail-owner@example.com")
        try await Self.verifiedDomain(api, scope, "mail.example.com", provider: "resend")
        let initial = try await api.call("GET", "/api/v1/email/settings", token: token)
        #expect(initial.status == 200)
        #expect(initial.json == ["provider": "simulated", "resend_api_key_set": false, "resend_webhook_secret_set": false,
                                 "smtp_password_set": false])

        let saved = try await Self.put(api, token, ["provider": "resend", "resend_api_key": "re_live_secret_123",
                                                    "resend_webhook_secret": .string(Self.webhookSecret),
                                                    "default_from": "Ada Example <ADA@Mail.Example.com>"])
        #expect(saved.status == 200, "\(saved.body)")
        #expect(saved.json == ["provider": "resend", "default_from": "Ada Example <ada@mail.example.com>", "resend_api_key_set": true,
                               "resend_webhook_secret_set": true, "smtp_password_set": false])
        let read = try await api.call("GET", "/api/v1/email/settings", token: token)
        #expect(read.json == saved.json)
        #expect(!read.body.contains("re_live") && !read.body.contains("whsec_"))

        // At rest: sealed under the credentials key, nothing readable in the row.
        let database = try await api.database("api")
        let row = try #require(try await database.prepare("SELECT * FROM email_settings WHERE workspace_id = ?").bind(scope.workspaceID).first())
        let stored = "\(row)"
        #expect(!stored.contains("re_live_secret_123") && !stored.contains("MfKQ9r8G"))
        #expect(row["resend_api_key_sealed"] != nil && row["resend_api_key_sealed"] != .null)
        let store = EmailSettingsStore(database: database, key: Self.credentialsKey, clock: SystemClock())
        let settings = try await store.get(scope)
        #expect(settings.resendAPIKey == "re_live_secret_123")
        #expect(try await database.transaction { tx in try store.resendWebhookSecret(tx, scope) } == Self.webhookSecret)
        // Another key opens nothing.
        #expect(try await EmailSettingsStore(database: database, key: Array(repeating: 8, count: 32), clock: SystemClock()).get(scope).resendAPIKey == nil)

        // Omitted secrets are kept; null removes one; a Resend workspace without a key is a conflict.
        let kept = try await Self.put(api, token, ["provider": "resend", "default_from": "ada@mail.example.com"])
        #expect(kept.json["resend_api_key_set"] == true && kept.json["resend_webhook_secret_set"] == true)
        let cleared = try await Self.put(api, token, ["provider": "resend", "resend_webhook_secret": .null])
        #expect(cleared.json["resend_webhook_secret_set"] == false && cleared.json["resend_api_key_set"] == true)
        #expect(try await database.transaction { tx in try store.resendWebhookSecret(tx, scope) } == nil)
        let noKey = try await Self.put(api, token, ["provider": "resend", "resend_api_key": .null])
        #expect(noKey.status == 409)
        #expect(try await store.get(scope).resendAPIKey == "re_live_secret_123", "a refused change changes nothing")
    }

    /// The default sender is checked as a send's From is, against the provider it is set with: on a
    /// verified domain that provider sends from (else a 409 naming default_from and the domain).
    @Test func theDefaultSenderIsOnAVerifiedDomain() async throws {
        let api = try await APIHost.start(secrets: Self.secrets)
        defer { Task { await api.stop() } }
        let (token, scope) = try await Self.owner(api, "default-from@example.com")
        func refused(_ answer: TestResponse, _ domain: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(answer.status == 409 && answer.string("error", "details", "field") == "default_from"
                    && answer.string("error", "details", "domain") == domain, "\(answer.body)", sourceLocation: sourceLocation)
        }
        refused(try await Self.put(api, token, ["provider": "simulated", "default_from": "News <news@Brand.test>"]), "brand.test")
        #expect(try await api.call("GET", "/api/v1/email/settings", token: token).json["default_from"] == nil, "nothing was saved")
        #expect(try await Self.put(api, token, ["provider": "simulated", "default_from": "hello@sandbox.ozzi.test"]).status == 200)

        try await Self.verifiedDomain(api, scope, "brand.test", provider: "simulated")
        let saved = try await Self.put(api, token, ["provider": "simulated", "default_from": "News <news@Brand.test>"])
        #expect(saved.status == 200 && saved.json["default_from"] == "News <news@brand.test>", "\(saved.body)")
        // A relay signs with the key we hold for the domain: the same sender passes.
        #expect(try await Self.put(api, token, ["provider": "smtp", "smtp_host": "relay.example", "default_from": "news@brand.test"]).status == 200)
        // Resend sends only from domains Resend verified; the sandbox is the simulated provider's alone.
        let resend = try await Self.put(api, token, ["provider": "resend", "resend_api_key": "re_123456", "default_from": "news@brand.test"])
        refused(resend, "brand.test")
        #expect(resend.body.contains("verified for the simulated provider"), "\(resend.body)")
        refused(try await Self.put(api, token, ["provider": "resend", "resend_api_key": "re_123456", "default_from": "hello@sandbox.ozzi.test"]),
                "sandbox.ozzi.test")
        #expect(try await api.call("GET", "/api/v1/email/settings", token: token).json["provider"] == "smtp", "a refused change changes nothing")
    }

    @Test func smtpSettingsDefaultsAndThePasswordStaysWithItsServer() async throws {
        let api = try await APIHost.start(secrets: Self.secrets)
        defer { Task { await api.stop() } }
        let (token, scope) = try await Self.owner(api, "smtp-owner@example.com")
        let saved = try await Self.put(api, token, ["provider": "smtp", "smtp_host": "SMTP.Example.com", "smtp_auth": ["username": "relay", "password": "hunter2-relay"]])
        #expect(saved.status == 200, "\(saved.body)")
        #expect(saved.json == ["provider": "smtp", "resend_api_key_set": false, "resend_webhook_secret_set": false,
                               "smtp_host": "smtp.example.com", "smtp_port": 587, "smtp_security": "starttls", "smtp_username": "relay",
                               "smtp_password_set": true])
        #expect(!saved.body.contains("hunter2"))
        let tls = try await Self.put(api, token, ["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_auth": ["username": "relay"], "smtp_security": "tls"])
        #expect(tls.json["smtp_port"] == 465 && tls.json["smtp_password_set"] == true, "same server and account: the password is kept")
        let store = EmailSettingsStore(database: try await api.database("api"), key: Self.credentialsKey, clock: SystemClock())
        #expect(try await store.get(scope).smtp == EmailSettings.SMTPRelay(host: "smtp.example.com", port: 465, security: .implicitTLS,
                                                                         username: "relay", password: "hunter2-relay"))
        // Another host must not receive the stored password: there is none stored for it (409, naming the field).
        let moved = try await Self.put(api, token, ["provider": "smtp", "smtp_host": "evil.example.net", "smtp_auth": ["username": "relay"]])
        #expect(moved.status == 409 && moved.body.contains("smtp_auth.password"), "\(moved.body)")
        let otherUser = try await Self.put(api, token, ["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_auth": ["username": "someone-else"]])
        #expect(otherUser.status == 409)
        // Switching to the simulated provider keeps the relay for later.
        let simulated = try await Self.put(api, token, ["provider": "simulated", "smtp_host": "smtp.example.com", "smtp_auth": ["username": "relay"],
                                                        "smtp_port": 2525])
        #expect(simulated.json["smtp_password_set"] == true && simulated.json["smtp_port"] == 2525)
    }

    @Test func badInputIsA4xxNamingTheFieldAndOnlyAdminsMayTouchIt() async throws {
        let api = try await APIHost.start(secrets: Self.secrets)
        defer { Task { await api.stop() } }
        let (token, _) = try await Self.owner(api, "checks@example.com")
        let cases: [(JSONValue, String)] = [
            (["provider": "sendgrid"], "provider"),
            (["resend_api_key": "re_x"], "provider"),
            (["provider": "resend", "resend_api_key": "sk_live_123"], "resend_api_key"),
            (["provider": "resend", "resend_api_key": "re_123456", "resend_webhook_secret": "secret"], "resend_webhook_secret"),
            (["provider": "smtp"], "smtp_host"),
            (["provider": "smtp", "smtp_host": "smtp.example.com/x"], "smtp_host"),
            (["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_port": 70000], "smtp_port"),
            (["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_port": 25.5], "smtp_port"),
            (["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_security": "ssl"], "smtp_security"),
            (["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_auth": ["password": "pw"]], "smtp_auth.username"),
            (["provider": "smtp", "smtp_host": "smtp.example.com", "smtp_auth": ["username": "relay", "password": ""]], "smtp_auth.password"),
            (["provider": "simulated", "default_from": "Ada <ada@example.com>\r\nBcc: all@example.com"], "default_from"),
            (["provider": "simulated", "default_from": "not an address"], "default_from"),
        ]
        for (body, field) in cases {
            let answer = try await Self.put(api, token, body)
            #expect(answer.status == 422, "\(body): \(answer.status) \(answer.body)")
            #expect(answer.body.contains(field), "\(body): \(answer.body)")
        }
        #expect(try await api.call("GET", "/api/v1/email/settings", token: token).json["provider"] == "simulated", "nothing was saved")

        // A member of the workspace may neither read nor change them.
        let workspace = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Mail co"], token: token).string("id"))
        let invite = try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "member@example.com"], token: token)
        let member = try #require(try await api.signUp("member@example.com").string("access_token"))
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(invite.string("token") ?? "")], token: member).status == 200)
        let headers = ["X-Workspace-Id": workspace]
        #expect(try await api.call("GET", "/api/v1/email/settings", token: member, headers: headers).status == 403)
        #expect(try await api.call("PUT", "/api/v1/email/settings", json: ["provider": "simulated"], token: member, headers: headers).status == 403)
        #expect(try await api.call("GET", "/api/v1/email/settings", token: token, headers: headers).status == 200)
    }

    @Test func providersFollowTheSettings() async throws {
        let api = try await APIHost.start(secrets: Self.secrets)
        defer { Task { await api.stop() } }
        let (token, scope) = try await Self.owner(api, "providers@example.com")
        let resend = try await ResendClientTests.stub()
        let smtp = try await LocalSMTPServer.start(.starttls)
        defer { smtp.stop() }
        let simulated = try SimulatedEmailTests.Setup().provider
        let database = try await api.database("api")
        let store = EmailSettingsStore(database: database, key: Self.credentialsKey, clock: SystemClock())
        func providers(_ vars: [String: String]) -> EmailProviders {
            var bindings = WorkerBindings()
            bindings.outbound = OutboundFetcher(worker: "api", allowed: [OutboundHostPattern("http://127.0.0.1:*")!])
            let env = WorkerEnv(name: "api", vars: ["RESEND_API_BASE": "http://127.0.0.1:\(resend.port)/"].merging(vars) { $1 },
                                dataDirectory: NSTemporaryDirectory(), logger: .init(label: "test"), bindings: bindings)
            return EmailProviders(env: env, settings: store, simulated: simulated)
        }
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        func send(_ provider: any EmailProvider, to: String = "reader@example.org") async -> SendResult? {
            let email = OutgoingEmail(messageID: "msg_p1", workspaceID: scope.workspaceID, from: "Ada <ada@mail.example.com>", to: to,
                                      replyTo: nil, subject: "Hi", html: nil, text: "Hello", headers: [], tags: [])
            return await Task(executorPreference: group.loops[0]) { await provider.send([email]) }.value.first
        }

        let defaults = providers([:])
        #expect(try defaults.provider(for: try await store.get(scope)).name == "simulated")
        #expect(try await database.transaction { tx in try defaults.webhookSecret(tx, scope, provider: "simulated") } == SimulatedEmailTests.secret)
        #expect(try await database.transaction { tx in try defaults.webhookSecret(tx, scope, provider: "resend") } == nil)

        // Resend, with the key as stored, to the configured base (its trailing slash dropped).
        #expect(try await Self.put(api, token, ["provider": "resend", "resend_api_key": .string(ResendClientTests.apiKey),
                                                "resend_webhook_secret": .string(Self.webhookSecret)]).status == 200)
        #expect(try await database.transaction { tx in try defaults.webhookSecret(tx, scope, provider: "resend") } == Self.webhookSecret)
        let viaResend = try defaults.provider(for: try await store.get(scope))
        #expect(viaResend.name == "resend" && viaResend.maxBatch == 100)
        guard case .accepted = await send(viaResend) else { Issue.record("not accepted by the stub"); return }
        let request = try #require(try await resend.requests().last)
        #expect(request["path"] as? String == "/emails")
        #expect(request["authorization"] as? String == "Bearer \(ResendClientTests.apiKey)")

        // The workspace's relay, with the password as stored; private addresses only when the operator allows them.
        #expect(try await Self.put(api, token, ["provider": "smtp", "smtp_host": "127.0.0.1", "smtp_port": .number(Double(smtp.port)),
                                                "smtp_auth": ["username": .string(LocalSMTPServer.user), "password": .string(LocalSMTPServer.password)]]).status == 200)
        let settings = try await store.get(scope)
        let refused = await send(try defaults.provider(for: settings))
        guard case .permanent("refused_address", _) = refused else { Issue.record("\(String(describing: refused))"); return }
        let allowed = providers(["SMTP_ALLOW_PRIVATE_HOSTS": "true", "SMTP_CA_FILE": smtp.caFile])
        let viaSMTP = try allowed.provider(for: settings, dkim: [DKIMSigner(domain: "mail.example.com", selector: "s1", key: DKIMTests.key)])
        #expect(viaSMTP.name == "smtp" && viaSMTP.maxBatch == 1)
        #expect(await send(viaSMTP) == .accepted(providerID: "<msg_p1@mail.example.com>"))
        let received = try #require(try smtp.messages().first)
        #expect((received["data"] as? String)?.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256;") == true)
        #expect(try smtp.auths().first?["ok"] as? Bool == true)

        // Settings naming a provider whose credentials are gone are refused, not sent through another.
        #expect(throws: APIError.self) { try defaults.provider(for: EmailSettings(provider: "resend")) }
        #expect(throws: APIError.self) { try defaults.provider(for: EmailSettings(provider: "smtp")) }
    }
}
