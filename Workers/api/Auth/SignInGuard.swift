import OzziRuntime
import Synchronization

/// Brute-force protection for password sign-in, by account and client rather than by account alone (as
/// Auth0's and Okta's are), so that guessing at an account never locks its owner out:
///
/// - each (account, client) pair backs off on its own failures (`SignInBackoff.perClient`);
/// - clients the account has not seen sign in also share an account-wide ceiling
///   (`SignInBackoff.perAccount`), against guesses spread over many networks;
/// - a known client (`KnownClients`) is held back only by its own failures.
///
/// A client is its network (`ClientNetwork`) unless it is known: a cookie proves only a past sign-in to
/// that account, and an attacker can get any number of fresh ones. In-process, apart from the throughput
/// limits (`RateLimiter`), so that no flood of those can evict a lock.
final class SignInGuard: Sendable {
    enum Client: Sendable, Equatable {
        /// Has signed in to this account before (its `ozzi_client` cookie's id).
        case known(id: String)
        /// Any other client, by its network.
        case unknown(network: String)
    }

    /// A lock a failure started, for the audit log: `client` or `account` wide.
    struct Lock: Sendable, Equatable {
        let scope: String
        let seconds: Int64
    }

    private struct Tables {
        var clients: LRUTable<SignInBackoff.Failures>
        var accounts: LRUTable<SignInBackoff.Failures>
    }

    private let tables: Mutex<Tables>
    private let clock: any WallClock
    let perClient: SignInBackoff
    let perAccount: SignInBackoff

    init(clock: any WallClock, perClient: SignInBackoff = .perClient, perAccount: SignInBackoff = .perAccount, capacity: Int = 100_000) {
        self.clock = clock
        self.perClient = perClient
        self.perAccount = perAccount
        tables = Mutex(Tables(clients: LRUTable(capacity: capacity), accounts: LRUTable(capacity: capacity)))
    }

    /// Seconds until `client` may try a password for `account` again; nil when it may now.
    func retryAfter(account: String, client: Client) -> Int? {
        let now = clock.milliseconds
        return tables.withLock { tables in
            let own = tables.clients.peek(Self.key(account, client))?.retryAfter(now: now)
            guard case .unknown = client else { return own }
            let shared = tables.accounts.peek(account)?.retryAfter(now: now)
            return [own, shared].compactMap { $0 }.max()
        }
    }

    /// Starts an attempt: nil when it may go on (it is counted as in flight until `failed`, `succeeded`
    /// or `abandoned`), else the seconds to wait. Checking and counting under one lock is what keeps
    /// guesses sent all at once from passing the check together while their passwords are verified.
    func begin(account: String, client: Client) -> Int? {
        let now = clock.milliseconds
        return tables.withLock { tables in
            let key = Self.key(account, client)
            let own = tables.clients.peek(key) ?? SignInBackoff.Failures()
            let shared: SignInBackoff.Failures? = if case .unknown = client { tables.accounts.peek(account) ?? SignInBackoff.Failures() } else { nil }
            guard perClient.mayBegin(own, now: now), shared.map({ perAccount.mayBegin($0, now: now) }) ?? true else {
                let waits = [own.retryAfter(now: now), shared?.retryAfter(now: now)].compactMap { $0 }
                return max(1, waits.max() ?? 1)
            }
            tables.clients.update(key, now: now) { Self.reserve(&$0, now: now) }
            if shared != nil { tables.accounts.update(account, now: now) { Self.reserve(&$0, now: now) } }
            return nil
        }
    }

    /// An attempt begun ended without a verdict (an error on the way).
    func abandoned(account: String, client: Client) {
        tables.withLock { tables in
            tables.clients.update(Self.key(account, client), now: clock.milliseconds) { Self.release(&$0) }
            if case .unknown = client { tables.accounts.update(account, now: clock.milliseconds) { Self.release(&$0) } }
        }
    }

    /// Counts a wrong password for an attempt begun; returns the locks it started.
    func failed(account: String, client: Client) -> [Lock] {
        let now = clock.milliseconds
        return tables.withLock { tables in
            var locks: [Lock] = []
            let own = tables.clients.update(Self.key(account, client), now: now) {
                Self.release(&$0)
                return perClient.fail(&$0, now: now)
            }
            if own > 0 { locks.append(Lock(scope: "client", seconds: own)) }
            if case .unknown = client {
                let shared = tables.accounts.update(account, now: now) {
                    Self.release(&$0)
                    return perAccount.fail(&$0, now: now)
                }
                if shared > 0 { locks.append(Lock(scope: "account", seconds: shared)) }
            }
            return locks
        }
    }

    /// A right password: this client starts over. The account-wide count stands, as the guessing
    /// elsewhere may go on.
    func succeeded(account: String, client: Client) {
        tables.withLock { tables in
            tables.clients.remove(Self.key(account, client))
            if case .unknown = client { tables.accounts.update(account, now: clock.milliseconds) { Self.release(&$0) } }
        }
    }

    private static func reserve(_ stored: inout SignInBackoff.Failures?, now: Int64) {
        var failures = stored ?? SignInBackoff.Failures()
        failures.inFlight += 1
        // Kept while the attempt is judged, even if it carries no failure yet.
        failures.forgettableAt = max(failures.forgettableAt, now + 600_000)
        stored = failures
    }

    private static func release(_ stored: inout SignInBackoff.Failures?) {
        guard var failures = stored else { return }
        failures.inFlight = max(0, failures.inFlight - 1)
        stored = failures
    }

    private static func key(_ account: String, _ client: Client) -> String {
        switch client {
        case .known(let id): "\(account) client \(id)"
        case .unknown(let network): "\(account) network \(network)"
        }
    }
}

extension SignInBackoff {
    /// `fail` on a table entry that may not exist yet.
    fileprivate func fail(_ stored: inout Failures?, now: Int64) -> Int64 {
        var failures = stored ?? Failures()
        let lock = fail(&failures, now: now)
        stored = failures
        return lock
    }
}
