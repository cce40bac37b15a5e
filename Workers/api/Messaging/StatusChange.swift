import OzziRuntime

/// A message reached a status: recorded as a `message.status` event in the transaction that changed it.
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
    static func record(_ tx: SQLTransaction, _ changes: [StatusChange], at: String) throws {
        try record(tx, changes.map(\.event), at: at)
    }
}
