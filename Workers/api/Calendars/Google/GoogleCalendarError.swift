/// How a Google Calendar call failed, in the terms its callers act on.
enum GoogleCalendarError: Error, CustomStringConvertible, Equatable {
    /// The grant is revoked or expired (`invalid_grant`): the connection is marked disconnected.
    case disconnected
    /// A sync token Google no longer honours (410 `fullSyncRequired`): sync again from scratch.
    case fullSyncRequired
    /// `If-Match` named an etag the event no longer has (412): it changed in Google Calendar.
    case preconditionFailed
    /// An id already taken (409 `duplicate`): an insert that had already been made.
    case duplicate
    /// The event is not there, or was deleted (404, 410 `deleted`).
    case gone
    /// Any other answer, after the retries rate limits and server errors get.
    case failed(status: Int, message: String)
    /// No answer at all.
    case unreachable(String)

    var description: String {
        switch self {
        case .disconnected: "the Google account is disconnected (access was revoked or expired): connect it again"
        case .fullSyncRequired: "Google asks for a full sync"
        case .preconditionFailed: "the event changed in Google Calendar"
        case .duplicate: "Google already has an event with this id"
        case .gone: "the event is not in Google Calendar"
        case .failed(let status, let message): "Google Calendar answered \(status): \(message)"
        case .unreachable(let why): "Google Calendar could not be reached: \(why)"
        }
    }
}
