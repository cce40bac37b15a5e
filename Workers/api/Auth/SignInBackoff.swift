import OzziRuntime

/// How long failed sign-ins hold back whoever made them: `freeFailures` in a row cost nothing, then each
/// further failure locks for `baseSeconds`, doubling up to `maxSeconds`; `forgetAfterSeconds` after the
/// last failure (or at a success) the count starts over. Pure: the guard feeds it the clock.
struct SignInBackoff: Sendable, Equatable {
    var freeFailures: Int
    var baseSeconds: Int64
    var maxSeconds: Int64
    var forgetAfterSeconds: Int64

    /// One account and one client: a typo-prone owner waits a second or two, a guesser hours per thousand tries.
    static let perClient = SignInBackoff(freeFailures: 5, baseSeconds: 1, maxSeconds: 900, forgetAfterSeconds: 86_400)
    /// One account, every client it has not seen sign in: failures spread over many networks slow down
    /// new clients, never known ones.
    static let perAccount = SignInBackoff(freeFailures: 50, baseSeconds: 1, maxSeconds: 300, forgetAfterSeconds: 3600)

    /// The lock the `failures`-th failure in a row starts, in seconds (0: none).
    func lockSeconds(afterFailures failures: Int) -> Int64 {
        guard failures >= freeFailures else { return 0 }
        return min(maxSeconds, baseSeconds << min(failures - freeFailures, 32))
    }

    /// Failures in a row from one source, and the lock they hold it under.
    struct Failures: Forgettable, Equatable {
        var count = 0
        var lockedUntil: Int64 = 0
        var lastFailure: Int64 = 0
        var forgettableAt: Int64 = 0
        /// Attempts begun and not yet judged (their passwords are being checked).
        var inFlight = 0

        /// Seconds until the lock ends (rounded up), nil when not locked.
        func retryAfter(now: Int64) -> Int? {
            lockedUntil > now ? Int((lockedUntil - now + 999) / 1000) : nil
        }
    }

    /// Whether one more attempt may begin now: not while locked, and once the free failures are spent
    /// (counting those still being checked as failures), only one at a time, so that guesses sent at once
    /// all wait for the verdict, and the lock, of the one before.
    func mayBegin(_ failures: Failures, now: Int64) -> Bool {
        guard failures.retryAfter(now: now) == nil else { return false }
        let count = now - failures.lastFailure >= forgetAfterSeconds * 1000 ? 0 : failures.count
        return count + failures.inFlight < freeFailures || failures.inFlight == 0
    }

    /// Counts a failure at `now`; returns the seconds of the lock it starts (0: none).
    func fail(_ failures: inout Failures, now: Int64) -> Int64 {
        if now - failures.lastFailure >= forgetAfterSeconds * 1000 { failures.count = 0 }
        failures.count += 1
        failures.lastFailure = now
        let lock = lockSeconds(afterFailures: failures.count)
        failures.lockedUntil = max(failures.lockedUntil, now + lock * 1000)
        failures.forgettableAt = max(failures.lockedUntil, now + forgetAfterSeconds * 1000)
        return lock
    }
}
