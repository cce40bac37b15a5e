import OzziRuntime

/// Reading emails: messages of the `email` channel joined with their content. Changes to them go through
/// `MessageStore` (the engine's, cancel, retry) like any message's.
struct EmailStore: Sendable {
    let database: any SQLDatabase

    func get(_ scope: TenantScope, id: String) async throws -> Email? {
        guard var email = try await database.prepare("""
            SELECT \(Email.joinedSelection) FROM messages m JOIN email_contents c ON c.id = m.content_id
            WHERE m.workspace_id = ? AND m.id = ? AND m.channel = 'email'
            """).bind(scope.workspaceID, id).first(Email.self) else { return nil }
        email.timeline = try await database.prepare("SELECT \(MessageEvent.selection) FROM message_events WHERE message_id = ? ORDER BY id")
            .bind(id).all(MessageEvent.self)
        return email
    }

    /// Newest first, keyset-paged on (created_at, id); by status, campaign, contact or tag-free filters.
    func list(_ scope: TenantScope, _ filter: EmailFilter, page: PageRequest) async throws -> [Email] {
        var bound: [any SQLBindable] = [scope.workspaceID]
        var clause = ""
        if let campaignID = filter.campaignID { clause += " AND m.campaign_id = ?"; bound.append(campaignID) }
        if let contactID = filter.contactID { clause += " AND m.contact_id = ?"; bound.append(contactID) }
        if let to = filter.to { clause += " AND m.to_phone = ?"; bound.append(to) }
        if let status = filter.status {
            let (sql, values) = status.sql
            clause += " AND " + sql
            bound += values
        }
        let after = page.after?.split(separator: "\u{1F}", maxSplits: 1).map(String.init) ?? []
        if after.count == 2 {
            clause += " AND (m.created_at < ? OR (m.created_at = ? AND m.id < ?))"
            bound += [after[0], after[0], after[1]]
        }
        bound.append(page.limit + 1)
        return try await database.prepare("""
            SELECT \(Email.joinedSelection) FROM messages m JOIN email_contents c ON c.id = m.content_id
            WHERE m.workspace_id = ? AND m.channel = 'email'\(clause) ORDER BY m.created_at DESC, m.id DESC LIMIT ?
            """).bind(bound).all(Email.self)
    }
}

/// Which emails a list means.
struct EmailFilter: Sendable {
    var status: EmailStatus?
    var campaignID: String?
    var contactID: String?
    var to: String?

    static let parameters: [Parameter] = [
        .query("status", .oneOf(EmailStatus.allCases.map(\.rawValue)), "Only emails with this status"),
        .query("campaign_id", .string(), "Only this campaign's emails"),
        .query("contact_id", .string(), "Only this contact's emails"),
        .query("to", EmailAddress.schema, "Only emails to this address"),
    ]

    init(_ request: Request) throws {
        if let text = request.queryParameter("status") {
            guard let status = EmailStatus(rawValue: text) else {
                throw APIError.invalidField("status", "must be one of \(EmailStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        campaignID = request.queryParameter("campaign_id")
        contactID = request.queryParameter("contact_id")
        to = try request.queryParameter("to").map { try EmailAddress.normalize($0, field: "to") }
    }
}

extension EmailStatus {
    /// The rows with this status: the engine's status while on our side, the email status after.
    fileprivate var sql: (String, [any SQLBindable]) {
        switch self {
        case .queued: ("m.status IN ('pending', 'sending')", [])
        case .review, .canceled: ("m.status = ?", [rawValue])
        case .failed: ("(m.status = 'failed' OR m.email_status = 'failed')", [])
        case .sent: ("(m.status = 'sent' AND (m.email_status IS NULL OR m.email_status = 'sent'))", [])
        default: ("m.email_status = ?", [rawValue])
        }
    }
}
