import OzziRuntime

/// A form submission as its sender sees it in the portal: which form, when, their answers and the consent
/// they gave (not the workflow the business ran on it, nor where they were sent from).
struct PortalSubmission: Encodable, Sendable, SQLRecord {
    let id: String
    let form_name: String
    let answers: JSONValue
    let consents: JSONValue
    let created_at: String

    enum Columns: String, SQLColumn {
        case id, form_name, answers, consents, created_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        form_name = try row.decode(String.self, forKey: .form_name)
        answers = try row.decode(JSONValue.self, forKey: .answers)
        consents = try row.decode(JSONValue.self, forKey: .consents)
        created_at = try row.decode(String.self, forKey: .created_at)
    }

    /// A page of the contact's submissions, newest first.
    static func page(_ database: any SQLDatabase, _ scope: TenantScope, contactID: String, page: PageRequest) async throws -> [PortalSubmission] {
        // Newest first, as the contact's history pages: the first page starts after every timestamp.
        let (at, id) = page.after == nil ? ("\u{FFFF}", "") : page.afterKeyAndID
        return try await database.prepare("""
            SELECT s.id, f.name AS form_name, s.answers, s.consents, s.created_at FROM form_submissions s JOIN forms f ON f.id = s.form_id
            WHERE s.workspace_id = ? AND s.contact_id = ? AND (s.created_at < ? OR (s.created_at = ? AND s.id < ?))
            ORDER BY s.created_at DESC, s.id DESC LIMIT ?
            """).bind(scope.workspaceID, contactID, at, at, id, page.limit + 1).all(PortalSubmission.self)
    }
}

extension PortalSubmission: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("fsb_01jd3k5v7n0000000000000000")),
        .required("form_name", Schema.string().example("Newsletter sign-up")),
        .required("answers", Schema.dictionary(.any).described("Field key -> my answer")),
        .required("consents", Schema.array(Schema.object([
            .required("channel", .oneOf(["sms", "email"])), .required("wording", .string()), .required("given_at", .timestamp),
        ], closed: true)).described("The consent boxes I ticked: the words I agreed to, and when")),
        .required("created_at", .timestamp),
    ], closed: true)
}
