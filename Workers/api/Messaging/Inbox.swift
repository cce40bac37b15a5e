import OzziRuntime

/// Inbound SMS: stored on the sender's conversation (an unknown number becomes a contact), keywords
/// applied to consent, HELP answered with the workspace's help text. A repeated webhook (same message
/// sid) is stored once and answered the same way.
struct Inbox: Sendable {
    let database: any SQLDatabase
    let settings: SMSSettingsStore
    let events: WorkspaceEvents
    let clock: any WallClock

    struct Received {
        let reply: String?
    }

    func receive(sid: String, from: String, to: String, body: String) async throws -> Received {
        guard let (scope, settings) = try await settings.workspace(forNumber: to) else {
            throw APIError.notFound("workspace with the number \(to)")
        }
        let keyword = InboundKeyword(body: body)
        let reply = keyword == .help ? (settings.helpText ?? SMSSettings.defaultHelpText) : nil
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let outcome = try await database.transaction { tx -> (contactID: String, fresh: Bool, consentChanged: Bool)? in
            var contactID = try tx.all("SELECT id FROM contacts WHERE workspace_id = ? AND phone = ?", scope.workspaceID, from).first?.text("id")
            if contactID == nil {
                var input = ContactInput()
                input.phone = from
                input.source = "sms"
                let id = ResourceID.make("con")
                try ContactStore.insert(tx, scope, id: id, input, now: now)
                contactID = id
            }
            let inserted = try tx.run("""
                INSERT INTO inbound_messages (id, workspace_id, contact_id, provider_message_id, from_phone, to_phone, body, keyword, received_at, received_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_message_id) DO NOTHING
                """, ResourceID.make("inb"), scope.workspaceID, contactID!, sid, from, to, body, keyword?.rawValue, now, nowMs).changes == 1
            guard inserted else { return (contactID!, false, false) }
            var changed = false
            if keyword == .stop || keyword == .start {
                changed = try ContactStore.setConsent(tx, scope, ids: [contactID!], (keyword == .stop ? "opted_out" : "opted_in", "sms_keyword"), now: now) > 0
            }
            var items: [(TenantScope, String, JSONValue)] = [(scope, "message.inbound", [
                "contact_id": .string(contactID!), "from": .string(from), "to": .string(to), "body": .string(body),
                "keyword": keyword.map { .string($0.rawValue) } ?? .null,
            ])]
            if changed {
                items.append((scope, "contact.updated", ["contact_id": .string(contactID!), "sms_consent": .string(keyword == .stop ? "opted_out" : "opted_in")]))
            }
            try WorkspaceEvents.record(tx, items, at: now)
            return (contactID!, true, changed)
        }
        if let outcome, outcome.fresh { events.flushSoon() }
        return Received(reply: reply)
    }
}
