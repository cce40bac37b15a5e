import OzziRuntime

/// A message reached a status: announced as a `message.status` event after its transaction commits.
struct StatusChange: Sendable {
    let scope: TenantScope
    let messageID: String
    let status: MessageStatus
    let errorCode: String?

    var event: (TenantScope, String, JSONValue) {
        (scope, "message.status", ["message_id": .string(messageID), "status": .string(status.rawValue),
                                   "error_code": errorCode.map(JSONValue.string) ?? .null])
    }
}

extension WorkspaceEvents {
    func publish(_ changes: [StatusChange], at: String) {
        publish(changes.map(\.event), at: at)
    }
}
