/// Who fires a cron trigger's minute when several hosts run the same triggers: the one whose claim
/// succeeds. `claim` is asked once per trigger and minute by each host's scheduler.
public protocol CronClaims: Sendable {
    /// Whether this host fires `cron` of `worker` for `minute` (seconds since 1970, UTC). Throws when it
    /// cannot tell (the shared database is unreachable): the scheduler then skips the minute rather than
    /// risk firing it twice.
    func claim(worker: String, cron: String, minute: Int64) async throws -> Bool
}

/// One host alone: every minute is its own.
public struct LocalCronClaims: CronClaims {
    public init() {}

    public func claim(worker: String, cron: String, minute: Int64) async throws -> Bool { true }
}
