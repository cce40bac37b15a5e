import OzziRuntime

/// A message reached a status: recorded in the transaction that changed it, as `message.status` for an
/// SMS and as `email.<status>` (`email.sent`, `email.bounced`, ...) for an email, the names Resend uses.
struct StatusChange: Sendable {
    let scope: TenantScope
    let messageID: String
    let status: MessageStatus
    let errorCode: String?
    let channel: MessageChannel
    /// An email's status after a provider event (delivered, opened, bounced...), when that moved it.
    let emailStatus: EmailStatus?

    init(scope: TenantScope, messageID: String, status: MessageStatus, errorCode: String?, channel: MessageChannel = .sms, emailStatus: EmailStatus? = nil) {
        self.scope = scope
        self.messageID = messageID
        self.status = status
        self.errorCode = errorCode
        self.channel = channel
        self.emailStatus = emailStatus
    }

    /// The engine's change of a message it is delivering.
    init(_ message: MessageStore.Due, status: MessageStatus, errorCode: String?) {
        self.init(scope: message.scope, messageID: message.id, status: status, errorCode: errorCode, channel: message.channel)
    }

    var event: (TenantScope, String, JSONValue) {
        switch channel {
        case .sms:
            (scope, "message.status", ["message_id": .string(messageID), "status": .string(status.rawValue),
                                       "error_code": errorCode.map(JSONValue.string) ?? .null])
        case .email:
            emailEvent
        }
    }

    private var emailEvent: (TenantScope, String, JSONValue) {
        let status = emailStatus ?? EmailStatus(message: self.status, email: nil)
        return (scope, "email.\(status.rawValue)", ["email_id": .string(messageID), "status": .string(status.rawValue),
                                                    "error_code": errorCode.map(JSONValue.string) ?? .null])
    }

    /// The email events a workspace may subscribe to.
    static let emailEventTypes = EmailStatus.allCases.map { "email.\($0.rawValue)" }
}

extension WorkspaceEvents {
    static func record(_ tx: SQLTransaction, _ changes: [StatusChange], at: String) throws {
        try record(tx, changes.map(\.event), at: at)
    }
}
