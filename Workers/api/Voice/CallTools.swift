import OzziRuntime

/// The voice agent's tools that read or change the workspace's data, run for one call: look up the caller,
/// take a message (kept on the caller's contact), ask for a callback, text the caller. Transfers and hang-ups
/// are the session's own (it ends the ConversationRelay session); they need no data.
struct CallTools: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let contacts: ContactStore
    let calls: CallStore
    let sms: MessageScheduler

    static let names = ["lookup_caller", "take_message", "schedule_callback", "send_sms"]

    func run(_ name: String, arguments: [String: JSONValue], call: Call) async throws -> JSONValue {
        switch name {
        case "lookup_caller":
            guard let id = call.contact_id, let contact = try await contacts.get(call.scope, id: id) else {
                return ["found": false, "phone": .string(party(call))]
            }
            return ["found": true, "contact_id": .string(contact.id), "name": .string(contact.name), "first_name": .string(contact.first_name),
                    "email": contact.email.map { .string($0) } ?? .null]
        case "take_message":
            let message = try text(arguments, "message", max: 2_000)
            let contactID = try await contactForCaller(call)
            let now = Timestamp.now(clock)
            let line = "[\(now.prefix(16).replacingOccurrences(of: "T", with: " ")) call \(call.id)] \(message)"
            try await database.transaction { tx in
                try tx.run("""
                    UPDATE contacts SET notes = CASE WHEN notes = '' THEN ? ELSE notes || ? END, updated_at = ? WHERE workspace_id = ? AND id = ?
                    """, line, "\n" + line, now, call.workspace_id, contactID)
                try WorkspaceEvents.record(tx, [(call.scope, "contact.updated", ["contact_id": .string(contactID)])], at: now)
            }
            return ["saved": true, "contact_id": .string(contactID)]
        case "schedule_callback":
            let when = (try? text(arguments, "when", max: 200)) ?? "as soon as possible"
            let note = (try? text(arguments, "note", max: 1_000)) ?? ""
            try await calls.requestCallback(call, note: note.isEmpty ? "Call back \(when)" : "Call back \(when): \(note)", at: Timestamp.now(clock))
            return ["scheduled": true, "when": .string(when)]
        case "send_sms":
            let body = try text(arguments, "body", max: 1_600)
            let contactID = try await contactForCaller(call)
            guard let owner = try await database.prepare("SELECT user_id FROM memberships WHERE workspace_id = ? AND role = 'owner' ORDER BY created_at LIMIT 1")
                .bind(call.workspace_id).first()?.text("user_id") else { return ["sent": false, "reason": "the workspace has no owner"] }
            let scheduled = try await sms.schedule(call.scope, createdBy: owner, JSONBody(fields: ["contact_id": .string(contactID), "body": .string(body)]))
            if let skipped = scheduled.skipped.first { return ["sent": false, "reason": .string(skipped.reason)] }
            return ["sent": true, "message_ids": .array(scheduled.ids.map { .string($0) })]
        default:
            throw APIError.notFound("tool \(name)")
        }
    }

    /// The other party's number: the caller's on an inbound call, the callee's on an outbound one.
    private func party(_ call: Call) -> String {
        call.direction == "inbound" ? call.from_number : call.to_number
    }

    /// The caller's contact, made now (source `voice`) when the call has none; the call then names it.
    private func contactForCaller(_ call: Call) async throws -> String {
        if let id = call.contact_id { return id }
        let phone = party(call)
        let id: String
        if let existing = try await contactID(call.workspace_id, phone: phone) {
            id = existing
        } else {
            var input = ContactInput()
            input.phone = phone
            input.source = "voice"
            do {
                id = try await contacts.create(call.scope, input).id
            } catch let error as APIError where error.status == 409 {
                // Made by another tool of the same call a moment ago.
                guard let made = try await contactID(call.workspace_id, phone: phone) else { throw error }
                id = made
            }
        }
        try await database.prepare("UPDATE calls SET contact_id = ? WHERE id = ?").bind(id, call.id).run()
        return id
    }

    private func contactID(_ workspaceID: String, phone: String) async throws -> String? {
        try await database.prepare("SELECT id FROM contacts WHERE workspace_id = ? AND phone = ?").bind(workspaceID, phone).first()?.text("id")
    }

    private func text(_ arguments: [String: JSONValue], _ name: String, max: Int) throws -> String {
        guard let value = arguments[name]?.stringValue, !value.isEmpty else { throw APIError.invalidField("arguments.\(name)", "is required") }
        guard value.count <= max else { throw APIError.invalidField("arguments.\(name)", "must be at most \(max) characters") }
        return value
    }
}
