import OzziRuntime

/// One of a workspace's customers with access to the client portal: linked to the contact whose records
/// they see. `invited` until the invitation's (or sign-up's) link is used and a password chosen.
struct PortalUser: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let email: String
    let contact_id: String?
    let status: String
    let created_at: String
    let activated_at: String?
    let last_sign_in_at: String?

    enum CodingKeys: String, SQLColumn { case id, email, contact_id, status, created_at, activated_at, last_sign_in_at }
    typealias Columns = CodingKeys

    static let columns = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")

    /// The columns of the table named `alias` in a join.
    static func columns(as alias: String) -> String {
        CodingKeys.allCases.map { alias + "." + $0.rawValue }.joined(separator: ", ")
    }
}

extension PortalUser: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("pru_01jd3k5v7n0000000000000000")),
        .required("email", EmailAddress.schema),
        .optional("contact_id", Schema.string().nullable.described("The contact whose records the portal user sees")),
        .required("status", Schema.oneOf(["invited", "active", "disabled"])),
        .required("created_at", .timestamp),
        .optional("activated_at", Schema.timestamp.nullable),
        .optional("last_sign_in_at", Schema.timestamp.nullable),
    ], closed: true)
}
