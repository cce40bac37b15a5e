import OzziRuntime
import Testing
@testable import APIWorker

/// Brute-force protection without sockets: the backoff schedule, per-client locks, the account-wide ceiling.
@Suite struct SignInGuardTests {
    @Test func backoffDoublesAfterTheFreeFailuresUpToItsCap() {
        let backoff = SignInBackoff.perClient
        #expect((1...16).map(backoff.lockSeconds(afterFailures:)) == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
        #expect(backoff.lockSeconds(afterFailures: 10_000) == 900)
        var failures = SignInBackoff.Failures()
        for _ in 0..<6 { _ = backoff.fail(&failures, now: 0) }
        #expect(failures.retryAfter(now: 500) == 2)
        #expect(backoff.fail(&failures, now: 86_400_000) == 0, "a day after the last failure the count starts over")
        #expect(failures.count == 1)
    }

    /// Guesses sent all at once are checked together: past the free failures, each must wait for the
    /// verdict (and the lock) of the one before, or the lock would be checked by none of them.
    @Test func guessesSentAtOnceCannotOutrunTheLock() {
        let clock = ManualClock(milliseconds: 0)
        let guardian = SignInGuard(clock: clock)
        let attacker = SignInGuard.Client.unknown(network: "10.9.9.9")
        let begun = (0..<20).filter { _ in guardian.begin(account: "a@example.com", client: attacker) == nil }
        #expect(begun.count == 5, "the five free failures may be checked at once, no more")
        for _ in begun { _ = guardian.failed(account: "a@example.com", client: attacker) }
        #expect(guardian.begin(account: "a@example.com", client: attacker) == 1, "then the lock holds")
        clock.advance(byMilliseconds: 1_000)
        #expect(guardian.begin(account: "a@example.com", client: attacker) == nil, "one at a time after it")
        #expect(guardian.begin(account: "a@example.com", client: attacker) != nil, "not two")
        #expect(guardian.failed(account: "a@example.com", client: attacker).contains(SignInGuard.Lock(scope: "client", seconds: 2)))
        // An attempt that ends in an error gives its slot back.
        clock.advance(byMilliseconds: 2_000)
        #expect(guardian.begin(account: "a@example.com", client: attacker) == nil)
        guardian.abandoned(account: "a@example.com", client: attacker)
        #expect(guardian.begin(account: "a@example.com", client: attacker) == nil)
    }

    @Test func guessesFromManyClientsSlowNewClientsButNeverKnownOnes() {
        let clock = ManualClock(milliseconds: 0)
        let guardian = SignInGuard(clock: clock)
        for n in 0..<49 { #expect(guardian.failed(account: "a@example.com", client: .unknown(network: "10.0.0.\(n)")).isEmpty) }
        #expect(guardian.retryAfter(account: "a@example.com", client: .unknown(network: "10.1.1.1")) == nil)
        #expect(guardian.failed(account: "a@example.com", client: .unknown(network: "10.0.0.49")) == [SignInGuard.Lock(scope: "account", seconds: 1)])
        #expect(guardian.retryAfter(account: "a@example.com", client: .unknown(network: "10.1.1.1")) == 1, "a new client waits")
        #expect(guardian.retryAfter(account: "a@example.com", client: .known(id: "owner-laptop")) == nil, "a known one does not")
        #expect(guardian.retryAfter(account: "b@example.com", client: .unknown(network: "10.1.1.1")) == nil, "nor does another account")
        for _ in 0..<4 { _ = guardian.failed(account: "a@example.com", client: .known(id: "owner-laptop")) }
        #expect(guardian.retryAfter(account: "a@example.com", client: .known(id: "owner-laptop")) == nil, "a known client's failures are its own")
        clock.advance(byMilliseconds: 1000)
        #expect(guardian.failed(account: "a@example.com", client: .unknown(network: "10.0.0.1")) == [SignInGuard.Lock(scope: "account", seconds: 2)])
    }

    @Test func aSuccessClearsOnlyThatClient() {
        let guardian = SignInGuard(clock: ManualClock(milliseconds: 0))
        for _ in 0..<5 {
            _ = guardian.failed(account: "a@example.com", client: .unknown(network: "10.0.0.1"))
            _ = guardian.failed(account: "a@example.com", client: .unknown(network: "10.0.0.2"))
        }
        guardian.succeeded(account: "a@example.com", client: .unknown(network: "10.0.0.1"))
        #expect(guardian.retryAfter(account: "a@example.com", client: .unknown(network: "10.0.0.1")) == nil)
        #expect(guardian.retryAfter(account: "a@example.com", client: .unknown(network: "10.0.0.2")) == 1)
    }
}
