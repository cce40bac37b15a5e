import OzziRuntime

/// Syncs one Google calendar into its local copy (after a push notification, on the periodic sweep, or
/// right after the calendar was chosen).
struct GoogleCalendarSyncJob: QueueJob {
    static let kind = "google_calendar_sync"
    let calendarID: String

    init(calendarID: String) { self.calendarID = calendarID }
    init(_ payload: JobPayload) throws(JobPayloadError) { calendarID = try payload.string("calendar_id") }
    var fields: [String: JSONValue] { ["calendar_id": .string(calendarID)] }
}
