import OzziRuntime

/// The dashboard's totals of ended calls per workspace and UTC day (`call_daily_stats`: one row a day, a
/// column per final status and per class), moved in the transaction that changes a call: what the call
/// counted for before is taken away and what it counts for now added, so a class a review sets later, or a
/// price fetched after the call, lands in the right column, and the totals never drift from the calls.
enum CallDailyStats {
    /// Twilio's final statuses, each a column (`no-answer` as `status_no_answer`).
    static let statuses = ["completed", "busy", "no-answer", "failed", "canceled"]
    static let classes = CallClass.all + ["unclassified"]

    static func statusColumn(_ status: String) -> String { "status_" + status.replacingOccurrences(of: "-", with: "_") }
    static func classColumn(_ classification: String) -> String { "class_" + classification }

    /// Every counting column, in one order for statements and rows alike.
    static let columns = ["calls", "duration_seconds", "completed_duration_seconds", "price_micros"] + statuses.map(statusColumn) + classes.map(classColumn)

    /// What one ended call adds to its day: column -> amount (a voice lab conversation adds nothing).
    private static func share(_ call: Call?) -> (day: String, amounts: [String: Int64])? {
        guard let call, call.ended_at != nil, !call.lab else { return nil }
        let duration = Int64(call.duration_seconds ?? 0)
        var amounts: [String: Int64] = ["calls": 1, "duration_seconds": duration, "price_micros": call.price_micros ?? 0,
                                        classColumn(call.classification ?? "unclassified"): 1]
        if statuses.contains(call.status) { amounts[statusColumn(call.status)] = 1 }
        if call.status == "completed" { amounts["completed_duration_seconds"] = duration }
        return (String(call.started_at.prefix(10)), amounts)
    }

    /// Moves `before`'s share (the call's row before the change; nil for none) to `after`'s.
    static func move(_ tx: SQLTransaction, from before: Call?, to after: Call?) throws {
        guard let workspaceID = (after ?? before)?.workspace_id else { return }
        var byDay: [String: [String: Int64]] = [:]
        if let old = share(before) { byDay[old.day, default: [:]].merge(old.amounts.mapValues { -$0 }, uniquingKeysWith: +) }
        if let new = share(after) { byDay[new.day, default: [:]].merge(new.amounts, uniquingKeysWith: +) }
        for (day, amounts) in byDay.sorted(by: { $0.key < $1.key }) where amounts.values.contains(where: { $0 != 0 }) {
            let values: [any SQLBindable] = [workspaceID, day] + columns.map { amounts[$0] ?? 0 }
            try tx.execute(upsert, values.map(\.sqlValue))
        }
    }

    private static let upsert = """
        INSERT INTO call_daily_stats (workspace_id, day, \(columns.joined(separator: ", ")))
        VALUES (?, ?, \(columns.map { _ in "?" }.joined(separator: ", ")))
        ON CONFLICT (workspace_id, day) DO UPDATE SET \(columns.map { "\($0) = call_daily_stats.\($0) + excluded.\($0)" }.joined(separator: ", "))
        """
}
