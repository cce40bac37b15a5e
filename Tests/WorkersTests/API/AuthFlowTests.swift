import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Sign-up, sign-in, refresh rotation and sessions, through the api worker as the host routes to it.
@Suite struct AuthFlowTests {
    @Test func signUpSignInAndMe() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("Ada@Example.com")
        #expect(signup.status == 201)
        #expect(signup.string("token_type") == "Bearer")
        #expect(signup["expires_in"] == .number(900))
        #expect(signup.string("user", "email") == "ada@example.com")
        #expect(signup.cookies.contains { $0.hasPrefix("ozzi_access=") && $0.contains("HttpOnly") && $0.contains("Secure") && $0.contains("SameSite=Lax") })
        #expect(signup.cookies.contains { $0.hasPrefix("ozzi_refresh=") && $0.contains("Path=/;") && $0.contains("SameSite=Strict") })
        let token = try #require(signup.string("access_token"))
        let me = try await api.call("GET", "/api/v1/me", token: token)
        #expect(me.status == 200)
        #expect(me.string("user", "id") == signup.string("user", "id"))
        #expect(me.string("workspace", "role") == "owner")
        #expect(me.string("credential") == "session")

        let cookie = try await api.call("GET", "/api/v1/me", headers: ["Cookie": "ozzi_access=\(token)"])
        #expect(cookie.status == 200, "browsers authenticate with the cookie")

        let again = try await api.call("POST", "/api/v1/auth/signup", json: ["email": "ada@example.com", "password": "another horse battery"])
        #expect(again.status == 202, "an address with an account is answered as any other (its owner is mailed instead)")
        #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "ada@example.com", "password": "another horse battery"]).status == 401,
                "and nothing changed")
        let login = try await api.call("POST", "/api/v1/auth/login", json: ["email": "ADA@example.com", "password": "correct horse battery"])
        #expect(login.status == 200)
        #expect(login.string("session_id") != signup.string("session_id"))
        let wrong = try await api.call("POST", "/api/v1/auth/login", json: ["email": "ada@example.com", "password": "wrong horse battery"])
        #expect(wrong.status == 401)
        let nobody = try await api.call("POST", "/api/v1/auth/login", json: ["email": "nobody@example.com", "password": "whatever it is"])
        #expect(nobody.status == 401)
        #expect(try await api.call("GET", "/api/v1/me").status == 401)
        #expect(try await api.call("GET", "/api/v1/me", token: "oat_forged").status == 401)
    }

    @Test func badInputNamesTheField() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let malformed = try await api.call("POST", "/api/v1/auth/signup", raw: "{\"email\": ")
        #expect(malformed.status == 400)
        #expect(malformed.string("error", "code") == "invalid_json")
        let missing = try await api.call("POST", "/api/v1/auth/signup", json: ["password": "correct horse battery"])
        #expect(missing.status == 422)
        #expect(missing.string("error", "details", "field") == "email")
        let wrongType = try await api.call("POST", "/api/v1/auth/signup", json: ["email": 42, "password": "correct horse battery"])
        #expect(wrongType.status == 422)
        #expect(wrongType.string("error", "message") == "email: must be a string")
        let notEmail = try await api.call("POST", "/api/v1/auth/signup", json: ["email": "not-an-email", "password": "correct horse battery"])
        #expect(notEmail.string("error", "message") == "email: is not an email address")
        let short = try await api.call("POST", "/api/v1/auth/signup", json: ["email": "a@example.com", "password": "short"])
        #expect(short.status == 422)
        #expect(short.string("error", "message") == "password: must be at least 10 characters")
        let common = try await api.call("POST", "/api/v1/auth/signup", json: ["email": "a@example.com", "password": "password123"])
        #expect(common.string("error", "message") == "password: is too common; choose another")
        let huge = try await api.call("POST", "/api/v1/auth/signup", json: [
            "email": "a@example.com", "password": "correct horse battery", "name": .string(String(repeating: "n", count: 500)),
        ])
        #expect(huge.status == 422)
        #expect(huge.string("error", "details", "field") == "name")
        let array = try await api.call("POST", "/api/v1/auth/signup", raw: "[1,2]")
        #expect(array.string("error", "message") == "the body must be a JSON object")
    }

    @Test func refreshTokensRotateAndReuseRevokesTheFamily() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("rotate@example.com")
        let first = try #require(signup.string("refresh_token"))
        let rotated = try await api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": .string(first)])
        #expect(rotated.status == 200)
        let second = try #require(rotated.string("refresh_token"))
        #expect(second != first)
        let access = try #require(rotated.string("access_token"))
        #expect(try await api.call("GET", "/api/v1/me", token: access).status == 200)
        // The cookie works too.
        let viaCookie = try await api.call("POST", "/api/v1/auth/refresh", headers: ["Cookie": "ozzi_refresh=\(second)"])
        #expect(viaCookie.status == 200)
        let third = try #require(viaCookie.string("refresh_token"))
        let latestAccess = try #require(viaCookie.string("access_token"))

        // The token just spent, presented again at once (a second tab's request raced the first): refused, and
        // the session the first renewed lives on.
        let raced = try await api.call("POST", "/api/v1/auth/refresh", headers: ["Cookie": "ozzi_refresh=\(second)"])
        #expect(raced.status == 401 && raced.string("error", "message")?.contains("a moment ago") == true)
        #expect(try await api.call("GET", "/api/v1/me", token: latestAccess).status == 200)

        // Later, someone replays the spent first token: the whole family dies.
        clock.advance(byMilliseconds: (RefreshRotation.graceSeconds + 1) * 1000)
        let replay = try await api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": .string(first)])
        #expect(replay.status == 401)
        #expect(replay.string("error", "message")?.contains("already used") == true)
        #expect(try await api.call("POST", "/api/v1/auth/refresh", json: ["refresh_token": .string(third)]).status == 401)
        #expect(try await api.call("GET", "/api/v1/me", token: latestAccess).status == 401)

        let login = try await api.call("POST", "/api/v1/auth/login", json: ["email": "rotate@example.com", "password": "correct horse battery"])
        let audit = try await api.call("GET", "/api/v1/audit-log", token: login.string("access_token"))
        let events = audit.data.compactMap { $0["event"]?.stringValue }
        #expect(events.contains("refresh_token_reuse"))
        #expect(events.contains("signup"))
        // No refresh token, in the body or the cookie, is a missing credential.
        #expect(try await api.call("POST", "/api/v1/auth/refresh", json: [:]).status == 401)
    }

    @Test func sessionsListRevokeAndLogoutEverywhere() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let a = try await api.signUp("sessions@example.com")
        let b = try await api.call("POST", "/api/v1/auth/login", json: ["email": "sessions@example.com", "password": "correct horse battery"])
        let c = try await api.call("POST", "/api/v1/auth/login", json: ["email": "sessions@example.com", "password": "correct horse battery"])
        let tokenA = try #require(a.string("access_token"))
        let list = try await api.call("GET", "/api/v1/auth/sessions", token: tokenA)
        #expect(list.data.count == 3)
        #expect(try await api.call("DELETE", "/api/v1/auth/sessions/\(b.string("session_id")!)", token: tokenA).status == 204)
        #expect(try await api.call("GET", "/api/v1/me", token: b.string("access_token")).status == 401)
        let logout = try await api.call("POST", "/api/v1/auth/logout", token: c.string("access_token"))
        #expect(logout.status == 204)
        #expect(logout.cookies.contains { $0.hasPrefix("ozzi_access=;") && $0.contains("Max-Age=0") })
        #expect(try await api.call("GET", "/api/v1/me", token: c.string("access_token")).status == 401)
        let everywhere = try await api.call("DELETE", "/api/v1/auth/sessions", token: tokenA)
        #expect(everywhere["revoked"] == .number(1))
        #expect(try await api.call("GET", "/api/v1/me", token: tokenA).status == 401)
    }

    @Test func signInIsRateLimitedPerAccountAndClient() async throws {
        // The host's clock stands still, so no attempt refills while the test runs, however slow it is.
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        _ = try await api.signUp("limited@example.com")
        var statuses: [Int] = []
        for _ in 0..<6 {
            statuses.append(try await api.call("POST", "/api/v1/auth/login", json: ["email": "limited@example.com", "password": "wrong wrong wrong"]).status)
        }
        #expect(statuses == [401, 401, 401, 401, 401, 429])
        // This client kept no cookie, so it is not known to the account: it waits out its own lock.
        let limited = try await api.call("POST", "/api/v1/auth/login", json: ["email": "limited@example.com", "password": "correct horse battery"])
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] == "1")
        // Another account from the same IP still gets in (the lock is per account and client).
        _ = try await api.signUp("other@example.com")
        #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "other@example.com", "password": "correct horse battery"]).status == 200)
        // The per-IP budget (20 a minute) holds whatever the account.
        var ipStatuses: [Int] = []
        for n in 0..<20 {
            ipStatuses.append(try await api.call("POST", "/api/v1/auth/login", json: ["email": .string("nobody\(n)@example.com"), "password": "whatever it is"]).status)
        }
        #expect(ipStatuses.filter { $0 == 429 }.count == 8, "\(ipStatuses)")
        clock.advance(byMilliseconds: 60_000)
        #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "limited@example.com", "password": "correct horse battery"]).status == 200)
    }
}
