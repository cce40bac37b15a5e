import OzziRuntime

/// The hosts delivering from one database. Each marks the sends it claims (`messages.claimed_by`) and
/// keeps a heartbeat row fresh while it runs; a claim whose host has not beaten within the lease is a
/// stopped host's (killed, frozen, cut off), and any host settles it (`DeliveryEngine.settleGone`).
///
/// On SQLite one host owns the database (the file is on its disk), so every claim but this process's is a
/// stopped host's at once: a restart settles them without waiting out a lease. Sends leased to an outside
/// service (`provider = 'external'`) are that service's, never a host's.
final class DeliveryHosts: Sendable {
    let id = ResourceID.make("host")
    /// `DELIVERY_HOST_LEASE_SECONDS` (30): how long a silent host's claims stay its own.
    let leaseMilliseconds: Int64
    private let database: any SQLDatabase
    private let clock: any WallClock

    init(database: any SQLDatabase, clock: any WallClock, leaseSeconds: Int) {
        self.database = database
        self.clock = clock
        leaseMilliseconds = Int64(leaseSeconds) * 1000
    }

    /// A third of the lease: two beats may be missed before the others take over.
    var heartbeatInterval: Duration { .milliseconds(leaseMilliseconds / 3) }

    func beat() async throws {
        try await database.prepare("""
            INSERT INTO delivery_hosts (id, seen_ms) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen_ms = excluded.seen_ms
            """).bind(id, clock.milliseconds).run()
    }

    /// Stopping: this host's row goes, and so do rows of hosts silent for a day.
    func leave() async throws {
        try await database.prepare("DELETE FROM delivery_hosts WHERE id = ? OR seen_ms < ?").bind(id, clock.milliseconds - 86_400_000).run()
    }

    /// A condition on a `messages` row, with its values: its claim is a stopped host's.
    var goneClaim: (sql: String, values: [SQLValue]) {
        let pipeline = "(provider IS NULL OR provider <> 'external')"
        switch database.dialect {
        case .sqlite:
            return ("\(pipeline) AND (claimed_by IS NULL OR claimed_by <> ?)", [.text(id)])
        case .postgres:
            return ("""
                \(pipeline) AND (claimed_by IS NULL OR (claimed_by <> ? AND claimed_by NOT IN (SELECT id FROM delivery_hosts WHERE seen_ms > ?)))
                """, [.text(id), .integer(clock.milliseconds - leaseMilliseconds)])
        }
    }
}
