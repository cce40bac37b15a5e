import OzziRuntime

/// Where a call campaign's contacts stand: how many wait (a first call or a retry), are on a call, were
/// reached, could not be reached after the last attempt, or were cancelled; and the calls placed.
struct CallCampaignStats: Sendable, Equatable {
    var targets = 0
    var waiting = 0
    var calling = 0
    var completed = 0
    var failed = 0
    var cancelled = 0
    var calls = 0

    static let statuses = ["waiting", "calling", "completed", "failed", "cancelled"]

    static func count(_ database: any SQLDatabase, campaignID: String) async throws -> CallCampaignStats {
        let rows = try await database.prepare("""
            SELECT status, count(*) AS n, CAST(coalesce(sum(attempts), 0) AS BIGINT) AS calls FROM call_campaign_targets WHERE campaign_id = ? GROUP BY status
            """).bind(campaignID).all()
        var stats = CallCampaignStats()
        for row in rows {
            let n = Int(row.integer("n") ?? 0)
            stats.targets += n
            stats.calls += Int(row.integer("calls") ?? 0)
            switch row.text("status") {
            case "waiting": stats.waiting = n
            case "calling": stats.calling = n
            case "completed": stats.completed = n
            case "failed": stats.failed = n
            case "cancelled": stats.cancelled = n
            default: break
            }
        }
        return stats
    }

    var json: JSONValue {
        ["targets": .number(Double(targets)), "waiting": .number(Double(waiting)), "calling": .number(Double(calling)),
         "completed": .number(Double(completed)), "failed": .number(Double(failed)), "cancelled": .number(Double(cancelled)),
         "calls": .number(Double(calls))]
    }

    static let schema = Schema.object([
        .required("targets", Schema.integer(min: 0).described("Contacts in the campaign so far")),
        .required("waiting", Schema.integer(min: 0).described("To be called: a first call, or a retry after busy or no answer")),
        .required("calling", Schema.integer(min: 0)), .required("completed", Schema.integer(min: 0).described("Reached: the call was answered")),
        .required("failed", Schema.integer(min: 0).described("Not reached after the last attempt")),
        .required("cancelled", Schema.integer(min: 0)), .required("calls", Schema.integer(min: 0).described("Calls placed")),
    ], closed: true)
}
