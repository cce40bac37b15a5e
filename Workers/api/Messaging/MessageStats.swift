import OzziRuntime

/// Delivery figures over a time window: counts by status, success rate, by category and campaign, and
/// (platform-wide) due-to-sent lateness and failures by error code.
struct MessageStats: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// `1h`, `24h`, `7d`, `30d` or `all`, over when messages were created.
    static let windows: [String: Int64] = ["1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000, "all": 0]

    struct Counts: Encodable {
        var total = 0
        var by_status: [String: Int] = [:]
        /// Delivered (or, without delivery reports yet, sent) out of those that reached an outcome.
        var success_rate: Double?
    }

    struct Group: Encodable {
        let name: String?
        let counts: Counts
    }

    struct Report: Encodable {
        let window: String
        let since: String?
        let counts: Counts
        let by_category: [Group]
        let by_campaign: [Group]
        /// Platform-wide reports only.
        var latency_ms: Latency?
        var failures_by_code: [String: Int]?
        var backlog: Backlog?
    }

    struct Latency: Encodable {
        let sent: Int
        let p50: Int64?
        let p99: Int64?
        let max: Int64?
    }

    struct Backlog: Codable, SQLRecord {
        /// Pending and already due: what the engine has yet to send.
        let due: Int
        /// Pending for later.
        let scheduled: Int
        let sending: Int
        let review: Int

        enum CodingKeys: String, SQLColumn { case due, scheduled, sending, review }
        typealias Columns = CodingKeys
    }

    /// Messages of one category, campaign and status.
    private struct Tally: Decodable, SQLRecord {
        let category: String
        let campaign: String?
        let status: String
        let n: Int

        enum CodingKeys: String, SQLColumn { case category, campaign, status, n }
        typealias Columns = CodingKeys
    }

    /// Failed messages with one error code.
    private struct Failures: Decodable, SQLRecord {
        let error_code: String
        let n: Int

        enum CodingKeys: String, SQLColumn { case error_code, n }
        typealias Columns = CodingKeys
    }

    /// Messages that reached the provider in one hour (`hour`: hours since the epoch), by where they stand now.
    struct Hour: Decodable, SQLRecord, Sendable {
        let hour: Int64
        let status: String
        let n: Int

        enum CodingKeys: String, SQLColumn { case hour, status, n }
        typealias Columns = CodingKeys
    }

    /// The workspace's sends of the last `hours` hours (the current one and those before), by hour and status:
    /// what a delivery chart draws. One statement of (status, hour) range counts over `messages_sent_by_workspace`,
    /// which cost a few index probes each, where grouping the day's rows cost each row (14 ms at 10,000 sends).
    func hourly(_ scope: TenantScope, hours: Int64) async throws -> [Hour] {
        let last = clock.milliseconds / 3_600_000
        let statuses = MessageStatus.allCases.map { "('\($0.rawValue)')" }.joined(separator: ", ")
        return try await database.prepare("""
            WITH RECURSIVE hours(hour) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT hour + 1 FROM hours WHERE hour < ?),
              statuses(status) AS (VALUES \(statuses))
            SELECT hour, status, n FROM (
              SELECT h.hour, s.status, (SELECT count(*) FROM messages m WHERE m.workspace_id = ? AND m.status = s.status AND m.sent_ms IS NOT NULL
                                          AND m.sent_ms >= h.hour * 3600000 AND m.sent_ms < (h.hour + 1) * 3600000) AS n
              FROM hours h CROSS JOIN statuses s) counted
            WHERE n > 0
            """).bind(last - hours + 1, last, scope.workspaceID).all(Hour.self)
    }

    static func window(_ request: Request) throws -> String {
        let window = request.queryParameter("window") ?? "24h"
        guard windows[window] != nil else { throw APIError.invalidField("window", "must be one of 1h, 24h, 7d, 30d, all") }
        return window
    }

    /// `scope` nil: every workspace (platform admins).
    func report(_ scope: TenantScope?, window: String) async throws -> Report {
        let span = Self.windows[window] ?? 0
        let since = span > 0 ? Timestamp.at(milliseconds: clock.milliseconds - span) : nil
        let filter = "(CAST(? AS TEXT) IS NULL OR workspace_id = ?) AND (CAST(? AS TEXT) IS NULL OR created_at >= ?)"
        let rows = try await database.prepare("""
            SELECT category, campaign, status, count(*) AS n FROM messages WHERE \(filter) GROUP BY category, campaign, status
            """).bind(scope?.workspaceID, scope?.workspaceID, since, since).all(Tally.self)
        var total = Counts(), categories: [String: Counts] = [:], campaigns: [String: Counts] = [:]
        for row in rows {
            Self.add(row.status, row.n, to: &total)
            Self.add(row.status, row.n, to: &categories[row.category, default: Counts()])
            if let campaign = row.campaign { Self.add(row.status, row.n, to: &campaigns[campaign, default: Counts()]) }
        }
        var report = Report(window: window, since: since, counts: Self.rated(total),
                            by_category: categories.sorted { $0.key < $1.key }.map { Group(name: $0.key, counts: Self.rated($0.value)) },
                            by_campaign: campaigns.sorted { $0.key < $1.key }.map { Group(name: $0.key, counts: Self.rated($0.value)) })
        guard scope == nil else { return report }
        let sinceMs = span > 0 ? clock.milliseconds - span : 0
        let sent = Int(try await database.prepare("SELECT count(*) AS n FROM messages WHERE sent_ms >= ?").bind(sinceMs).first()?.integer("n") ?? 0)
        func percentile(_ p: Double) async throws -> Int64? {
            guard sent > 0 else { return nil }
            let offset = min(sent - 1, Int((Double(sent) * p).rounded(.up)) - 1)
            return try await database.prepare("""
                SELECT CASE WHEN sent_ms > due_ms THEN sent_ms - due_ms ELSE 0 END AS late FROM messages WHERE sent_ms >= ? ORDER BY late LIMIT 1 OFFSET ?
                """).bind(sinceMs, max(0, offset)).first()?.integer("late")
        }
        report.latency_ms = Latency(sent: sent, p50: try await percentile(0.5), p99: try await percentile(0.99), max: try await percentile(1))
        let codes = try await database.prepare("""
            SELECT error_code, count(*) AS n FROM messages WHERE status IN ('failed', 'undelivered') AND error_code IS NOT NULL
              AND (CAST(? AS TEXT) IS NULL OR created_at >= ?) GROUP BY error_code
            """).bind(since, since).all(Failures.self)
        report.failures_by_code = Dictionary(codes.map { ($0.error_code, $0.n) }, uniquingKeysWith: +)
        report.backlog = try await database.prepare("""
            SELECT count(*) FILTER (WHERE status = 'pending' AND due_ms <= ?) AS due,
                   count(*) FILTER (WHERE status = 'pending' AND due_ms > ?) AS scheduled,
                   count(*) FILTER (WHERE status = 'sending') AS sending, count(*) FILTER (WHERE status = 'review') AS review
            FROM messages WHERE status IN ('pending', 'sending', 'review')
            """).bind(clock.milliseconds, clock.milliseconds).first(Backlog.self)
        return report
    }

    private static func add(_ status: String, _ n: Int, to counts: inout Counts) {
        counts.total += n
        counts.by_status[status, default: 0] += n
    }

    private static func rated(_ counts: Counts) -> Counts {
        var counts = counts
        let good = (counts.by_status["delivered"] ?? 0) + (counts.by_status["sent"] ?? 0)
        let bad = (counts.by_status["failed"] ?? 0) + (counts.by_status["undelivered"] ?? 0)
        counts.success_rate = good + bad > 0 ? Double(good) / Double(good + bad) : nil
        for status in MessageStatus.allCases where counts.by_status[status.rawValue] == nil { counts.by_status[status.rawValue] = 0 }
        return counts
    }
}
