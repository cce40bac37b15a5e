import OzziRuntime

/// A queue message asking the engine to deliver one message version. `reserved` says the rate limiter
/// already gave it this slot (it was deferred), so it is not charged twice.
struct DeliveryJob: Sendable, Equatable {
    let messageID: String
    let version: Int
    var reserved = false

    static let kind = "deliver"

    var json: JSONValue {
        var object: [String: JSONValue] = ["kind": .string(Self.kind), "message_id": .string(messageID), "version": .number(Double(version))]
        if reserved { object["reserved"] = .bool(true) }
        return .object(object)
    }

    init(messageID: String, version: Int, reserved: Bool = false) {
        self.messageID = messageID
        self.version = version
        self.reserved = reserved
    }

    init?(_ json: JSONValue) {
        guard json["kind"]?.stringValue == Self.kind, let id = json["message_id"]?.stringValue, let version = json["version"]?.numberValue else { return nil }
        self.init(messageID: id, version: Int(version), reserved: json["reserved"] == .bool(true))
    }
}
