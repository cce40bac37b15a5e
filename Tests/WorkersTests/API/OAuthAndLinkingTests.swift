import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The OAuth authorization-code flow with PKCE against a local OIDC provider, account linking, and
/// anonymous trials upgraded in place.
@Suite struct OAuthAndLinkingTests {
    static let stubScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("clients/oidc_stub.py").path

    func withProvider(_ body: (WorkerTestHost) async throws -> Void) async throws {
        let stub = try ChildProcess("/usr/bin/python3", [Self.stubScript, "client-1", "s3cret"])
        defer { stub.stop() }
        let port = try await stub.waitFor(#"PORT (\d+)"#)
        let origin = "http://127.0.0.1:\(port)"
        let api = try await APIHost.start(vars: [
            "PUBLIC_URL": "https://api.test", "OAUTH_STUB_CLIENT_ID": "client-1", "OAUTH_STUB_KIND": "oidc",
            "OAUTH_STUB_AUTHORIZE_URL": origin + "/authorize", "OAUTH_STUB_TOKEN_URL": origin + "/token",
            "OAUTH_STUB_USERINFO_URL": origin + "/userinfo",
        ], secrets: ["OAUTH_STUB_CLIENT_SECRET": "s3cret"])
        defer { Task { await api.stop() } }
        try await body(api)
    }

    /// Plays the browser: the provider's authorize page (choosing `subject`), then our callback.
    func authorize(_ api: WorkerTestHost, url: String, subject: String, email: String) async throws -> TestResponse {
        let consent = try await Subprocess.curl(["-i", url + "&login_as=\(subject)&email=\(email)"])
        let location = try #require(consent.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("location:") })
        let callback = String(location.dropFirst("location: ".count)).trimmingCharacters(in: .whitespaces)
        #expect(callback.hasPrefix("https://api.test/api/v1/auth/oauth/stub/callback?code="))
        return try await api.call("GET", String(callback.dropFirst("https://api.test".count)))
    }

    @Test func signInWithAProviderThenAgainAsTheSameUser() async throws {
        try await withProvider { api in
            let start = try await api.call("GET", "/api/v1/auth/oauth/stub/start")
            #expect(start.status == 302)
            let url = try #require(start.headers["location"])
            for part in ["response_type=code", "client_id=client-1", "code_challenge_method=S256", "code_challenge=", "state=",
                         "redirect_uri=https%3A%2F%2Fapi.test%2Fapi%2Fv1%2Fauth%2Foauth%2Fstub%2Fcallback"] {
                #expect(url.contains(part), "authorize URL has \(part): \(url)")
            }
            let signedIn = try await authorize(api, url: url, subject: "alice", email: "alice@example.com")
            #expect(signedIn.status == 200, "\(signedIn.body)")
            #expect(signedIn.string("user", "email") == "alice@example.com")
            let userID = signedIn.string("user", "id")
            #expect(try await api.call("GET", "/api/v1/me", token: signedIn.string("access_token")).status == 200)

            let again = try await api.call("GET", "/api/v1/auth/oauth/stub/start?format=json")
            let secondURL = try #require(again.string("authorize_url"))
            let second = try await authorize(api, url: secondURL, subject: "alice", email: "alice@example.com")
            #expect(second.string("user", "id") == userID, "the same provider subject is the same user")

            #expect(try await api.call("GET", "/api/v1/auth/oauth/nope/start").status == 404)
            let forged = try await api.call("GET", "/api/v1/auth/oauth/stub/callback?code=x&state=forged")
            #expect(forged.status == 400)
            #expect(forged.string("error", "code") == "invalid_state")
            let denied = try await api.call("GET", "/api/v1/auth/oauth/stub/callback?error=access_denied")
            #expect(denied.string("error", "code") == "provider_denied")
        }
    }

    @Test func theStateIsSingleUse() async throws {
        try await withProvider { api in
            let url = try #require(try await api.call("GET", "/api/v1/auth/oauth/stub/start?format=json").string("authorize_url"))
            let consent = try await Subprocess.curl(["-i", url + "&login_as=zed&email=zed@example.com"])
            let location = try #require(consent.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("location:") })
            let path = String(location.dropFirst("location: https://api.test".count)).trimmingCharacters(in: .whitespaces)
            #expect(try await api.call("GET", path).status == 200)
            #expect(try await api.call("GET", path).status == 400, "a replayed callback is refused")
        }
    }

    @Test func linkingUnlinkingAndConflicts() async throws {
        try await withProvider { api in
            // Alice signs in with the provider; Bob has a password account.
            let aliceURL = try #require(try await api.call("GET", "/api/v1/auth/oauth/stub/start?format=json").string("authorize_url"))
            _ = try await authorize(api, url: aliceURL, subject: "alice", email: "alice@example.com")
            let bob = try await api.signUp("bob@example.com")
            let bobToken = try #require(bob.string("access_token"))

            // Linking Alice's provider account to Bob is refused.
            let linkURL = try #require(try await api.call("POST", "/api/v1/auth/identities/stub", json: [:], token: bobToken).string("authorize_url"))
            let conflict = try await authorize(api, url: linkURL, subject: "alice", email: "alice@example.com")
            #expect(conflict.status == 409)
            #expect(conflict.string("error", "message")?.contains("already linked to another user") == true)

            // Bob links his own provider account, then may drop his password but not his last method.
            let ownURL = try #require(try await api.call("POST", "/api/v1/auth/identities/stub", json: [:], token: bobToken).string("authorize_url"))
            let linked = try await authorize(api, url: ownURL, subject: "bob-at-provider", email: "bob@example.com")
            #expect(linked["linked"] == "stub")
            let methods = try await api.call("GET", "/api/v1/auth/identities", token: bobToken)
            #expect(methods["password"] == true)
            #expect(methods["identities"]?.arrayValue?.first?["provider"] == "stub")
            #expect(try await api.call("DELETE", "/api/v1/auth/identities/password", token: bobToken).status == 204)
            let last = try await api.call("DELETE", "/api/v1/auth/identities/stub", token: bobToken)
            #expect(last.status == 409)
            #expect(last.string("error", "message") == "the last sign-in method cannot be unlinked")
            #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "bob@example.com", "password": "correct horse battery"]).status == 401)
            // Signing in with the provider now reaches Bob.
            let back = try await api.call("GET", "/api/v1/auth/oauth/stub/start?format=json")
            let again = try await authorize(api, url: try #require(back.string("authorize_url")), subject: "bob-at-provider", email: "bob@example.com")
            #expect(again.string("user", "id") == bob.string("user", "id"))
            // Bob adds a password back.
            let password = try await api.call("POST", "/api/v1/auth/identities/password", json: ["password": "another good phrase"], token: bobToken)
            #expect(password["linked"] == "password")
            #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "bob@example.com", "password": "another good phrase"]).status == 200)
        }
    }

    @Test func anonymousTrialsUpgradeKeepingTheirData() async throws {
        try await withProvider { api in
            let trial = try await api.call("POST", "/api/v1/auth/anonymous")
            #expect(trial.status == 201)
            #expect(trial["user"]?["is_anonymous"] == true)
            let token = try #require(trial.string("access_token"))
            let key = try await api.call("POST", "/api/v1/api-keys", json: ["name": "trial key"], token: token)
            #expect(key.status == 201)

            let upgraded = try await api.call("POST", "/api/v1/auth/upgrade", json: ["email": "trial@example.com", "password": "correct horse battery"], token: token)
            #expect(upgraded.status == 200)
            #expect(upgraded.string("id") == trial.string("user", "id"))
            #expect(upgraded["is_anonymous"] == false)
            let login = try await api.call("POST", "/api/v1/auth/login", json: ["email": "trial@example.com", "password": "correct horse battery"])
            #expect(login.string("user", "id") == trial.string("user", "id"))
            #expect(login.string("user", "personal_workspace_id") == trial.string("user", "personal_workspace_id"))
            let keys = try await api.call("GET", "/api/v1/api-keys", token: login.string("access_token"))
            #expect(keys.data.map { $0["name"] } == ["trial key"], "the trial's data is still there")
            #expect(try await api.call("POST", "/api/v1/auth/upgrade", json: ["email": "x@example.com", "password": "correct horse battery"], token: token).status == 409)

            // A second trial upgrades by linking a provider instead.
            let other = try await api.call("POST", "/api/v1/auth/anonymous")
            let otherToken = try #require(other.string("access_token"))
            let url = try #require(try await api.call("POST", "/api/v1/auth/identities/stub", json: [:], token: otherToken).string("authorize_url"))
            #expect(try await authorize(api, url: url, subject: "carol", email: "carol@example.com")["linked"] == "stub")
            let me = try await api.call("GET", "/api/v1/me", token: otherToken)
            #expect(me["user"]?["is_anonymous"] == false)
            #expect(me.string("user", "email") == "carol@example.com")
            #expect(me.string("user", "id") == other.string("user", "id"))
        }
    }
}
