import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A flood of distinct keys forgets no limit in force (the outside probe: ~100k refreshes from distinct
/// addresses cleared an account's lockout). The flood runs in-process, each request with the source address
/// a socket would give it.
@Suite struct RateLimitFloodTests {
    @Test func aFloodOfDistinctClientsForgetsNoLockoutOrLimitInForce() async throws {
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        @Sendable func refresh(from address: String) async throws -> Int {
            try await api.call("POST", "/api/v1/auth/refresh", from: address).status
        }

        _ = try await api.signUp("flooded@example.com")
        let wrong: JSONValue = ["email": "flooded@example.com", "password": "wrong guess 123"]
        for _ in 0..<5 { #expect(try await api.call("POST", "/api/v1/auth/login", json: wrong, from: "127.0.0.66").status == 401) }
        #expect(try await api.call("POST", "/api/v1/auth/login", json: wrong, from: "127.0.0.66").status == 429, "the lock is in force")

        // One IPv6 /64 is one client: whichever of its 2^64 addresses asks, they share 60 refreshes a minute.
        for i in 0..<60 { #expect(try await refresh(from: "2001:db8:1:2:\(String(i + 1, radix: 16))::1") == 401) }
        #expect(try await refresh(from: "2001:db8:1:2:ffff:ffff:ffff:ffff") == 429)

        // 150,000 distinct IPv4 clients, more than the limiter keeps for one limit, a hundred at a time as a
        // flood comes; the limited /64 keeps asking.
        var statuses: [Int: Int] = [:]
        for batch in stride(from: 0, to: 150_000, by: 100) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in batch..<batch + 100 {
                    group.addTask { try await refresh(from: "11.\(n >> 16 & 255).\(n >> 8 & 255).\(n & 255)") }
                }
                for try await status in group { statuses[status, default: 0] += 1 }
            }
            if batch % 10_000 == 0 { #expect(try await refresh(from: "2001:db8:1:2:\(batch / 10_000)::1") == 429, "after \(batch)") }
        }
        #expect(statuses == [401: 150_000], "each new client got its own budget (no refresh token: 401)")
        #expect(try await refresh(from: "2001:db8:1:2::abcd") == 429, "the limit in force is still in force")
        let locked = try await api.call("POST", "/api/v1/auth/login", json: ["email": "flooded@example.com", "password": "correct horse battery"],
                                        from: "127.0.0.66")
        #expect(locked.status == 429, "the lockout in force is still in force: \(locked.body)")
        #expect(try await api.call("POST", "/api/v1/auth/login", json: ["email": "flooded@example.com", "password": "correct horse battery"],
                                   from: "127.0.0.67").status == 200)
    }
}
