import OzziRuntime

/// A queue message asking the engine to deliver one message version. `reserved` says the rate limiter
/// already gave it this slot (it was deferred), so it is not charged twice.
struct DeliveryJob: QueueJob, Equatable {
    static let kind = "deliver"
    let messageID: String
    let version: Int
    var reserved = false

    init(messageID: String, version: Int, reserved: Bool = false) {
        self.messageID = messageID
        self.version = version
        self.reserved = reserved
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(messageID: try payload.string("message_id"), version: try payload.int("version"), reserved: try payload.flag("reserved"))
    }

    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["message_id": .string(messageID), "version": .number(Double(version))]
        if reserved { fields["reserved"] = .bool(true) }
        return fields
    }
}
