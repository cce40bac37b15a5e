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

    /// Counts a wrong password; returns the locks it started.
    func failed(account: String, client: Client) -> [Lock] {
        let now = clock.milliseconds
        return tables.withLock { tables in
            var locks: [Lock] = []
            let own = tables.clients.update(Self.key(account, client), now: now) { perClient.fail(&$0, now: now) }
            if own > 0 { locks.append(Lock(scope: "client", seconds: own)) }
            if case .unknown = client {
                let shared = tables.accounts.update(account, now: now) { perAccount.fail(&$0, now: now) }
                if shared > 0 { locks.append(Lock(scope: "account", seconds: shared)) }
            }
            return locks
        }
    }

    /// A right password: this client starts over. The account-wide count stands, as the guessing
    /// elsewhere may go on.
    func succeeded(account: String, client: Client) {
        tables.withLock { $0.clients.remove(Self.key(account, client)) }
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
