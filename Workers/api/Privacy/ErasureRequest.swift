import OzziRuntime

/// A person's request that the workspace erase what it holds about them (GDPR Art. 17), made from the
/// client portal; the workspace sees it and completes it (`ErasureStore.complete`).
struct ErasureRequest: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let contact_id: String
    /// The address it came from; a completed request keeps only its hash (`sha256:...`).
    let email: String
    let portal_user_id: String?
    let status: String
    let requested_at: String
    let completed_at: String?
    let completed_by: String?
    /// What completing it removed, by kind.
    let erased: JSONValue?

    enum CodingKeys: String, SQLColumn { case id, contact_id, email, portal_user_id, status, requested_at, completed_at, completed_by, erased }
    typealias Columns = CodingKeys

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        contact_id = try row.decode(String.self, forKey: .contact_id)
        email = try row.decode(String.self, forKey: .email)
        portal_user_id = try row.decodeIfPresent(String.self, forKey: .portal_user_id)
        status = try row.decode(String.self, forKey: .status)
        requested_at = try row.decode(String.self, forKey: .requested_at)
        completed_at = try row.decodeIfPresent(String.self, forKey: .completed_at)
        completed_by = try row.decodeIfPresent(String.self, forKey: .completed_by)
        erased = try row.decodeIfPresent(String.self, forKey: .erased).flatMap { try? JSONBody.parse(Array($0.utf8)) }
    }
}

extension ErasureRequest: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("era_01jd3k5v7n0000000000000000")),
        .required("contact_id", Schema.string().described("The contact to erase (gone once completed)")),
        .required("email", Schema.string().described("The address the request came from; once completed, only its SHA-256 (sha256:...)")),
        .optional("portal_user_id", Schema.string().nullable),
        .required("status", Schema.oneOf(["pending", "completed"])),
        .required("requested_at", .timestamp),
        .optional("completed_at", Schema.timestamp.nullable),
        .optional("completed_by", Schema.string().nullable.described("The workspace user who completed it")),
        .optional("erased", Schema.dictionary(.integer(min: 0)).nullable.described("What completing it removed, by kind")),
    ], closed: true)
}
