import OzziRuntime
import Testing
@testable import APIWorker

/// The api's limits over the host's token buckets (whose behaviour `TokenBucketsTests` pins down), and
/// the client networks they key sign-in limits by.
@Suite struct RateLimiterTests {
    @Test func anEmptyBucketIsA429SayingWhenToComeBack() async throws {
        let clock = ManualClock(milliseconds: 0)
        let limiter = RateLimiter(LocalTokenBuckets(clock: clock))
        for _ in 0..<20 { try await limiter.check(.signIn, "203.0.113.7") }
        let error = await #expect(throws: APIError.self) { try await limiter.check(.signIn, "203.0.113.7") }
        #expect(error?.status == 429)
        #expect(error?.headers["retry-after"] == "3", "20 a minute: the next in 3 s")
        try await limiter.check(.signUp, "203.0.113.7")
        clock.advance(byMilliseconds: 3_000)
        try await limiter.check(.signIn, "203.0.113.7")
    }

    @Test func clientsAreKeyedByNetwork() {
        #expect(ClientNetwork.key("203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientNetwork.key("2001:db8:1:2:ffff::1") == ClientNetwork.key("2001:db8:1:2::9"))
        #expect(ClientNetwork.key("2001:db8:1:3::9") == "2001:db8:1:3::/64")
        #expect(ClientNetwork.key("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("in-process") == "in-process")
        #expect(Request(method: "GET", target: "/", remoteAddress: "[2001:db8::5]:443").clientNetwork == "2001:db8::/64")
    }
}
