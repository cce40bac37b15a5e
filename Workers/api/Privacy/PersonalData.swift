import OzziRuntime

/// Everything a workspace holds about one contact, as one JSON document (GDPR Art. 15 access and Art. 20
/// portability): the contact and their consent, groups, every message sent to them or by them on every
/// channel (with each message's timeline), chat conversations with their messages, chat sessions, form
/// submissions, portal access, suppressions of their address and their erasure requests. Records are the contact's by its id, never
/// by an address alone: a number or an address may have been someone else's before (`Erasure`, which
/// removes, also takes what was sent to their addresses).
struct PersonalData: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let format = "ozzi-personal-data/1"

    /// The document, or nil when the workspace has no such contact.
    func export(_ scope: TenantScope, contactID: String) async throws -> JSONValue? {
        let ws = scope.workspaceID
        return try await database.transaction { tx -> JSONValue? in
            guard let contact = try tx.first(Contact.self, "SELECT \(Contact.selection) FROM contacts WHERE workspace_id = ? AND id = ?", ws, contactID) else {
                return nil
            }
            let addresses = [contact.phone, contact.email].compactMap { $0 }
            let workspace = try tx.all("SELECT id, name FROM workspaces WHERE id = ?", ws).first
            let messages = try tx.all("""
                SELECT m.id, m.channel, m.to_phone AS recipient, m.status, m.category, m.campaign_id, m.body, m.sent_text,
                       c.subject, c.text AS email_text, c.html AS email_html, m.scheduled_at, m.sent_at, m.delivered_at, m.created_at
                FROM messages m LEFT JOIN email_contents c ON c.id = m.content_id
                WHERE m.workspace_id = ? AND m.contact_id = ? ORDER BY m.created_at, m.id
                """, ws, contactID)
            let timelines = try Self.grouped(tx.all("""
                SELECT message_id, at, kind, result, error_code, error_message FROM message_events
                WHERE message_id IN (SELECT value FROM \(tx.dialect.elements())) ORDER BY id
                """, SQLList.json(messages.compactMap { $0.text("id") })), by: "message_id")
            let conversations = try tx.all("""
                SELECT id, channel, status, created_at, last_message_at FROM conversations WHERE workspace_id = ? AND contact_id = ? ORDER BY created_at, id
                """, ws, contactID)
            let chat = try Self.grouped(tx.all("""
                SELECT m.conversation_id, m.id, m.seq, m.sender, m.body, m.created_at FROM conversation_messages m
                JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = ? AND c.contact_id = ? ORDER BY m.conversation_id, m.seq
                """, ws, contactID), by: "conversation_id")
            // Their calls (theirs by contact or by number), with what was said and the calls' recordings.
            let calls = try tx.all("""
                SELECT id, direction, from_number, to_number, status, started_at, answered_at, ended_at, duration_seconds, callback_note, classification,
                       has_recording FROM calls
                WHERE workspace_id = ? AND (contact_id = ? OR from_number IN (SELECT value FROM \(tx.dialect.elements()))
                  OR to_number IN (SELECT value FROM \(tx.dialect.elements())))
                ORDER BY started_at, id
                """, ws, contactID, SQLList.json(addresses), SQLList.json(addresses))
            let callIDs = SQLList.json(calls.compactMap { $0.text("id") })
            let turns = try Self.grouped(tx.all("""
                SELECT call_id, seq, role, text, at FROM call_turns WHERE call_id IN (SELECT value FROM \(tx.dialect.elements())) ORDER BY call_id, seq
                """, callIDs), by: "call_id")
            let summaries = try Self.grouped(tx.all("""
                SELECT call_id, summary FROM call_reviews WHERE call_id IN (SELECT value FROM \(tx.dialect.elements()))
                """, callIDs), by: "call_id")
            let document: [String: JSONValue] = [
                "format": .string(Self.format),
                "generated_at": .string(Timestamp.now(self.clock)),
                "controller": .object(["workspace_id": .string(ws), "name": .string(workspace?.text("name") ?? "")]),
                "contact": try JSONValueEncoder.encode(contact),
                "groups": .array(try tx.all("""
                    SELECT g.id, g.name FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.contact_id = ? ORDER BY g.name
                    """, contactID).map { .object(Self.object($0)) }),
                "messages": .array(messages.map { row -> JSONValue in
                    var message = Self.object(row)
                    message["timeline"] = .array(timelines[row.text("id") ?? ""] ?? [])
                    return .object(message)
                }),
                "inbound_messages": .array(try tx.all("""
                    SELECT id, from_phone, to_phone, body, keyword, received_at FROM inbound_messages WHERE workspace_id = ? AND contact_id = ? ORDER BY received_at, id
                    """, ws, contactID).map { .object(Self.object($0)) }),
                "conversations": .array(conversations.map { row -> JSONValue in
                    var conversation = Self.object(row)
                    conversation["messages"] = .array(chat[row.text("id") ?? ""] ?? [])
                    return .object(conversation)
                }),
                "calls": .array(calls.map { row -> JSONValue in
                    var call = Self.object(row)
                    let id = row.text("id") ?? ""
                    call["transcript"] = .array(turns[id] ?? [])
                    call["summary"] = summaries[id]?.first?["summary"] ?? .null
                    // The audio itself: `GET /api/v1/calls/{id}/recording`, for as long as the call is kept.
                    call["recording"] = row.integer("has_recording") == 1 ? .string("/api/v1/calls/\(id)/recording") : .null
                    call["has_recording"] = nil
                    return .object(call)
                }),
                "chat_sessions": .array(try tx.all("""
                    SELECT id, name, email, external_user_id, created_at, seen_at FROM widget_visitors WHERE workspace_id = ? AND contact_id = ? ORDER BY created_at
                    """, ws, contactID).map { .object(Self.object($0)) }),
                "form_submissions": .array(try tx.all("""
                    SELECT s.id, s.form_id, f.name AS form_name, s.version, s.answers, s.consents, s.referrer, s.utm, s.created_at
                    FROM form_submissions s JOIN forms f ON f.id = s.form_id WHERE s.workspace_id = ? AND s.contact_id = ? ORDER BY s.created_at, s.id
                    """, ws, contactID).map { row -> JSONValue in
                    var submission = Self.object(row)
                    // Stored as JSON text: exported as the values they are.
                    for column in ["answers", "consents", "utm"] {
                        if case .string(let text)? = submission[column] { submission[column] = (try? JSONValue(jsonBytes: Array(text.utf8))) ?? .string(text) }
                    }
                    return .object(submission)
                }),
                "portal_access": .array(try tx.all("""
                    SELECT id, email, status, created_at, activated_at, last_sign_in_at FROM portal_users WHERE workspace_id = ? AND contact_id = ?
                    """, ws, contactID).map { .object(Self.object($0)) }),
                "email_suppressions": .array(try tx.all("""
                    SELECT address, reason, created_at FROM email_suppressions WHERE workspace_id = ? AND address IN (SELECT value FROM \(tx.dialect.elements()))
                    """, ws, SQLList.json(addresses)).map { .object(Self.object($0)) }),
                "erasure_requests": .array(try tx.all("""
                    SELECT id, status, requested_at, completed_at FROM erasure_requests WHERE workspace_id = ? AND contact_id = ? ORDER BY requested_at
                    """, ws, contactID).map { .object(Self.object($0)) }),
            ]
            return .object(document)
        }
    }

    /// The document's outline for the API reference: each section named, their rows as the tables hold them.
    static let schema = Schema.object([
        .required("format", Schema.oneOf([format])), .required("generated_at", .timestamp), .required("controller", .any),
        .required("contact", .model(Contact.self)), .required("groups", .any), .required("messages", .any), .required("inbound_messages", .any),
        .required("conversations", .any), .required("calls", .any), .required("chat_sessions", .any), .required("form_submissions", .any), .required("portal_access", .any), .required("email_suppressions", .any),
        .required("erasure_requests", .any),
    ], closed: true).described("Everything held about one person (ozzi-personal-data/1)")

    /// The document as a file to save.
    static func download(_ document: JSONValue, name: String) -> Response {
        var response = Response.bytes(document.jsonBytes, contentType: "application/json")
        response.headers.add("Content-Disposition", "attachment; filename=\"\(name)\"")
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    /// A row as a JSON object, column by column.
    static func object(_ row: SQLRow) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for (column, value) in zip(row.columns, row.values) {
            object[column] = switch value {
            case .null: .null
            case .integer(let number): .number(Double(number))
            case .real(let number): .number(number)
            case .text(let text): .string(text)
            case .blob(let bytes): .string(Base64.encode(bytes))
            }
        }
        return object
    }

    /// Rows as objects, by the value of `column` (which each object then leaves out).
    private static func grouped(_ rows: [SQLRow], by column: String) -> [String: [JSONValue]] {
        var groups: [String: [JSONValue]] = [:]
        for row in rows {
            var object = Self.object(row)
            guard case .string(let key)? = object.removeValue(forKey: column) else { continue }
            groups[key, default: []].append(.object(object))
        }
        return groups
    }
}
