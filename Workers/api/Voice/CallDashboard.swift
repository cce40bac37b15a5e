import OzziRuntime

/// The call center's numbers for a range of UTC days: totals, by status and class, per day, from
/// `call_daily_stats` (a row a day: a year is 366 rows whatever the calls); live calls from the calls
/// themselves, through the index on (workspace, ended_at).
struct CallDashboard: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// A call still open after this long lost its final callback: not counted as live.
    static let liveWindowMilliseconds: Int64 = 4 * 3_600_000
    static let maxDays = 366

    static let parameters: [Parameter] = [
        .query("since", CivilDate.schema, "The first day, YYYY-MM-DD (UTC): not after `until`, and at most 366 days before it; default: 29 days before `until`"),
        .query("until", CivilDate.schema, "The last day, YYYY-MM-DD (UTC); default: today"),
    ]

    static let schema: Schema = {
        let counts = [
            Property.required("calls", Schema.integer(min: 0)), .required("completed", Schema.integer(min: 0)),
            .required("failed", Schema.integer(min: 0).described("Ended any other way: busy, no answer, failed, canceled")),
            .required("duration_seconds", Schema.integer(min: 0)), .required("cost", Schema.number(0...1e12)),
        ]
        return Schema.object([
            .required("since", CivilDate.schema), .required("until", CivilDate.schema),
            .required("totals", Schema.object(counts + [
                .required("completed_rate", Schema.number(0...1).nullable.described("completed / calls; null without calls")),
                .required("average_duration_seconds", Schema.number(0...1e9).nullable.described("Over completed calls")),
                .required("live", Schema.integer(min: 0).described("Calls going on now")),
                .required("currency", Schema.string().example("USD")),
            ], closed: true)),
            .required("by_status", Schema.dictionary(Schema.integer(min: 0))),
            .required("by_classification", Schema.dictionary(Schema.integer(min: 0)).described("Ended calls by class; `unclassified` for none yet")),
            .required("days", Schema.array(Schema.object([.required("day", CivilDate.schema)] + counts, closed: true))),
        ], closed: true)
    }()

    func stats(_ scope: TenantScope, request: Request) async throws -> JSONValue {
        let today = Int(clock.milliseconds / 86_400_000)
        let until = try Self.day(request, "until") ?? today
        let since = try Self.day(request, "since") ?? until - 29
        guard since <= until else { throw APIError.invalidField("since", "must not be after until") }
        guard until - since < Self.maxDays else { throw APIError.invalidField("since", "must be at most \(Self.maxDays) days before until") }
        // The days' rows for the series; the statuses and classes summed by the database (cast: PostgreSQL
        // sums BIGINTs as NUMERIC), so each row is read for five columns, not twenty.
        let range: [any SQLBindable] = [scope.workspaceID, CivilDate.text(since), CivilDate.text(until)]
        let window = "FROM call_daily_stats WHERE workspace_id = ? AND day >= ? AND day <= ?"
        let perDay = try await database.prepare("""
            SELECT day, calls, status_completed, duration_seconds, completed_duration_seconds, price_micros \(window)
            """).bind(range).all()
        var days: [String: Counts] = [:], totals = Counts()
        for row in perDay {
            guard let day = row.text("day") else { continue }
            let counts = Counts(calls: row.integer("calls") ?? 0, completed: row.integer("status_completed") ?? 0,
                                duration: row.integer("duration_seconds") ?? 0, completedDuration: row.integer("completed_duration_seconds") ?? 0,
                                price: row.integer("price_micros") ?? 0)
            days[day] = counts
            totals.add(counts)
        }
        let tallied = CallDailyStats.statuses.map(CallDailyStats.statusColumn) + CallDailyStats.classes.map(CallDailyStats.classColumn)
        let sums = try await database.prepare("SELECT \(tallied.map { "CAST(sum(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")) \(window)")
            .bind(range).first()
        func tally(_ names: [String], _ column: (String) -> String) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: names.compactMap { name in
                (sums?.integer(column(name))).flatMap { $0 == 0 ? nil : (name, JSONValue.number(Double($0))) }
            }))
        }
        let byStatus = tally(CallDailyStats.statuses, CallDailyStats.statusColumn), byClass = tally(CallDailyStats.classes, CallDailyStats.classColumn)
        let live = try await database.prepare("SELECT count(*) AS n FROM calls WHERE workspace_id = ? AND ended_at IS NULL AND lab = 0 AND started_at >= ?")
            .bind(scope.workspaceID, Timestamp.at(milliseconds: clock.milliseconds - Self.liveWindowMilliseconds)).first()?.integer("n") ?? 0
        let currency = try await database.prepare("""
            SELECT price_unit FROM calls WHERE workspace_id = ? AND price_unit IS NOT NULL ORDER BY started_at DESC LIMIT 1
            """).bind(scope.workspaceID).first()?.text("price_unit") ?? "USD"
        var summary = totals.json.objectValue ?? [:]
        summary["completed_rate"] = totals.calls > 0 ? .number((Double(totals.completed) / Double(totals.calls) * 10_000).rounded() / 10_000) : .null
        summary["average_duration_seconds"] = totals.completed > 0
            ? .number((Double(totals.completedDuration) / Double(totals.completed) * 10).rounded() / 10) : .null
        summary["live"] = .number(Double(live))
        summary["currency"] = .string(currency)
        return [
            "since": .string(CivilDate.text(since)), "until": .string(CivilDate.text(until)), "totals": .object(summary),
            "by_status": byStatus, "by_classification": byClass,
            "days": .array((since...until).map { day in
                var fields = (days[CivilDate.text(day)] ?? Counts()).json.objectValue ?? [:]
                fields["day"] = .string(CivilDate.text(day))
                return .object(fields)
            }),
        ]
    }

    private struct Counts {
        var calls: Int64 = 0, completed: Int64 = 0, duration: Int64 = 0, completedDuration: Int64 = 0, price: Int64 = 0

        init() {}

        init(calls: Int64, completed: Int64, duration: Int64, completedDuration: Int64, price: Int64) {
            self.calls = calls
            self.completed = completed
            self.duration = duration
            self.completedDuration = completedDuration
            self.price = price
        }

        mutating func add(_ other: Counts) {
            calls += other.calls
            completed += other.completed
            duration += other.duration
            completedDuration += other.completedDuration
            price += other.price
        }

        var json: JSONValue {
            ["calls": .number(Double(calls)), "completed": .number(Double(completed)), "failed": .number(Double(calls - completed)),
             "duration_seconds": .number(Double(duration)), "cost": .number(Double(price) / 1_000_000)]
        }
    }

    private static func day(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.queryParameter(name) else { return nil }
        guard let day = CivilDate.day(text) else { throw APIError.invalidField(name, "must be a date, YYYY-MM-DD") }
        return day
    }
}
