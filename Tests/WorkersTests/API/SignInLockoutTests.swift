import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Wrong passwords slow down the client that sends them, not the account's owner (the outside probe's
/// lockout denial of service). Clients are told apart by their source address (127.0.0.0/8 is all
/// loopback) and the `ozzi_client` cookie; the clock is moved by hand.
@Suite struct SignInLockoutTests {
    static let attacker = "127.0.0.66"
    static let right = "correct horse battery"

    func login(_ api: WorkerTestHost, _ email: String, _ password: String, from address: String, cookie: String? = nil) async throws -> TestResponse {
        try await api.call("POST", "/api/v1/auth/login", json: ["email": .string(email), "password": .string(password)],
                           headers: cookie.map { ["Cookie": $0] } ?? [:], from: address)
    }

    /// The `name=value` of a cookie an answer sets.
    func cookie(_ name: String, in answer: TestResponse) -> String? {
        answer.cookies.first { $0.hasPrefix(name + "=") }.map { String($0.prefix { $0 != ";" }) }
    }

    @Test func anAttackerBacksOffWhileTheOwnerStillSignsIn() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("owner@example.com", password: Self.right, from: "127.0.0.1")
        #expect(signup.status == 201)

        // Ten guesses in a row: five are answered, then the attacker's client is locked.
        var statuses: [Int] = []
        for _ in 0..<10 { statuses.append(try await login(api, "owner@example.com", "wrong guess 123", from: Self.attacker).status) }
        #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429, 429, 429])
        // The owner, from a client never seen before, is not locked out by the attacker's lock...
        let fresh = try await login(api, "owner@example.com", Self.right, from: "127.0.0.77")
        #expect(fresh.status == 200, "\(fresh.body)")
        #expect(cookie("ozzi_client", in: fresh) != nil, "and that client is known from now on")
        // ... nor from the client that signed up, which is known, even on the attacker's own network.
        let device = try #require(cookie("ozzi_client", in: signup), "signing in makes the client known: \(signup.cookies)")
        let set = try #require(signup.cookies.first { $0.hasPrefix("ozzi_client=") })
        #expect(set.contains("HttpOnly") && set.contains("Secure") && set.contains("SameSite=Strict") && set.contains("Path=/;"))
        let known = try await login(api, "owner@example.com", Self.right, from: "127.0.0.1", cookie: device)
        #expect(known.status == 200, "\(known.body)")
        #expect(try await login(api, "owner@example.com", Self.right, from: Self.attacker, cookie: device).status == 200)

        // Each failure after a lock locks the attacker's client for twice as long.
        var waits: [Int] = []
        for _ in 0..<6 {
            let locked = try await login(api, "owner@example.com", Self.right, from: Self.attacker)
            #expect(locked.status == 429, "a locked client is not told whether even the right password is right")
            #expect(locked.string("error", "code") == "rate_limited")
            let wait = try #require(Int(locked.headers["retry-after"] ?? ""))
            waits.append(wait)
            clock.advance(byMilliseconds: Int64(wait) * 1000)
            #expect(try await login(api, "owner@example.com", "wrong guess 456", from: Self.attacker).status == 401)
        }
        #expect(waits == [1, 2, 4, 8, 16, 32], "11 failures so far, and the wait keeps growing")
        #expect(try await login(api, "owner@example.com", Self.right, from: Self.attacker).status == 429)
        #expect(try await login(api, "owner@example.com", Self.right, from: Self.attacker, cookie: "ozzi_client=forged.c2lnbmF0dXJl").status == 429,
                "a forged client cookie is no one's")
        let mallory = try await api.signUp("mallory@example.com", password: Self.right, from: Self.attacker)
        let mallorysDevice = try #require(cookie("ozzi_client", in: mallory))
        #expect(try await login(api, "owner@example.com", Self.right, from: Self.attacker, cookie: mallorysDevice).status == 429,
                "a client known to another account is not known to this one")
        #expect(try await login(api, "owner@example.com", Self.right, from: "127.0.0.1", cookie: device).status == 200)

        // The audit log keeps every failure and every lock.
        let token = try #require(known.string("access_token"))
        let audit = try await api.call("GET", "/api/v1/audit-log?limit=100", token: token)
        let events = audit.data.compactMap { $0["event"]?.stringValue }
        #expect(events.filter { $0 == "login_failed" }.count == 11, "\(events)")
        let locks = audit.data.filter { $0["event"]?.stringValue == "login_locked" }
        #expect(locks.count == 7, "the 5th to the 11th failure each started a lock")
        #expect(locks.allSatisfy { $0["ip"]?.stringValue == Self.attacker && $0["details"]?["scope"]?.stringValue == "client" })
    }

    @Test func theOwnersOwnTyposOnAKnownClientCostOnlyTheirOwnBackoff() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        let signup = try await api.signUp("typo@example.com")
        let device = try #require(cookie("ozzi_client", in: signup))
        for _ in 0..<5 { #expect(try await login(api, "typo@example.com", "not my password", from: "127.0.0.1", cookie: device).status == 401) }
        let locked = try await login(api, "typo@example.com", Self.right, from: "127.0.0.1", cookie: device)
        #expect(locked.status == 429)
        #expect(locked.headers["retry-after"] == "1")
        #expect(try await login(api, "typo@example.com", Self.right, from: "127.0.0.9").status == 200, "another client is not held back")
        clock.advance(byMilliseconds: 1000)
        #expect(try await login(api, "typo@example.com", Self.right, from: "127.0.0.1", cookie: device).status == 200)
        #expect(try await login(api, "typo@example.com", "not my password", from: "127.0.0.1", cookie: device).status == 401,
                "a success starts the count over")
    }
}
