import OzziRuntime

/// Lifts a timeout or a ban at the moment it ends: queued when it is given, due then (or at the queue's
/// 12-hour horizon, when it queues itself again). The every-minute sweep lifts any whose job was lost.
struct RestrictionEndsJob: QueueJob {
    static let kind = "community_restriction_ends"
    let communityID: String
    let userID: String
    /// `timeout` or `ban`.
    let restriction: String
    let untilMs: Int64

    init(communityID: String, userID: String, restriction: String, untilMs: Int64) {
        self.communityID = communityID
        self.userID = userID
        self.restriction = restriction
        self.untilMs = untilMs
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(communityID: try payload.string("community_id"), userID: try payload.string("user_id"),
                  restriction: try payload.string("restriction"), untilMs: Int64(try payload.int("until_ms")))
    }

    var fields: [String: JSONValue] {
        ["community_id": .string(communityID), "user_id": .string(userID), "restriction": .string(restriction), "until_ms": .number(Double(untilMs))]
    }

    static let horizonSeconds: Int64 = 43_200

    /// The message, due at `untilMs` or at the horizon, whichever is sooner.
    func message(nowMs: Int64) -> OutgoingMessage {
        let seconds = Double(min(max(0, untilMs - nowMs), Self.horizonSeconds * 1000)) / 1000
        return OutgoingMessage(body: json, delaySeconds: seconds)
    }
}
