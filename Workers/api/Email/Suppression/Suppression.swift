import OzziRuntime

/// An address no email of the workspace goes to, and why.
struct Suppression: Codable, SQLRecord, Sendable, Equatable {
    let address: String
    let reason: SuppressionReason
    let message_id: String?
    let campaign_id: String?
    let created_at: String

    enum CodingKeys: String, SQLColumn { case address, reason, message_id, campaign_id, created_at }
    typealias Columns = CodingKeys
}

extension Suppression: APIModel {
    static let schema = Schema.object([
        .required("address", Schema.string().example("ada@example.com")),
        .required("reason", Schema.oneOf(SuppressionReason.allCases.map(\.rawValue))
            .described("hard_bounce, complaint and unsubscribe come from recipients; soft_bounce_threshold after repeated soft bounces")),
        .optional("message_id", Schema.string().example("msg_01jd3k5v7n0000000000000000").described("The email that caused it")),
        .optional("campaign_id", Schema.string().described("That email's campaign")),
        .required("created_at", .timestamp),
    ], closed: true)

    static let input = Schema.object([
        .required("address", EmailAddress.schema),
        .optional("reason", Schema.oneOf(SuppressionReason.allCases.map(\.rawValue)).nullable
            .described("Default manual; the others keep a list brought from another provider")),
    ])
}
