import OzziRuntime

/// Turns a scheduling request into messages: one per recipient (a contact, a list, or a group's members
/// at this moment), opted-out contacts skipped with that reason, all inserted in one transaction and
/// their delivery jobs queued for the due time.
struct MessageScheduler: Sendable {
    let messages: MessageStore
    let queue: DeliveryQueue
    let templates: TemplateStore
    let clock: any WallClock

    struct Scheduled: Encodable {
        let scheduled: Int
        let ids: [String]
        let skipped: [Skipped]
        let scheduled_at: String
        /// The message itself when there was one recipient.
        let message: Message?
        /// With a `recurrence`: the series the message is the first occurrence of.
        let series_id: String?
    }

    struct Skipped: Encodable, Sendable {
        let contact_id: String
        let reason: String
    }

    func schedule(_ principal: Principal, _ body: JSONBody) async throws -> Scheduled {
        try await schedule(principal.scope, createdBy: principal.userID, body)
    }

    /// The same for a send no request made (a form's workflow), in `createdBy`'s name.
    func schedule(_ scope: TenantScope, createdBy: String, _ body: JSONBody) async throws -> Scheduled {
        let now = clock.milliseconds
        let targets = ["contact_id", "contact_ids", "group_id"].filter { body.fields[$0] != nil && body.fields[$0] != .null }
        guard targets.count == 1 else { throw APIError.invalidField("contact_id", "give exactly one of contact_id, contact_ids, group_id") }
        let text = try body.string("body", max: 1600)
        let templateID = try body.string("template_id", max: 64)
        guard (text == nil) != (templateID == nil) else { throw APIError.invalidField("body", "give exactly one of body, template_id") }
        if let text {
            guard !text.isEmpty else { throw APIError.invalidField("body", "must not be empty") }
            do { _ = try TemplateText(text) } catch { throw APIError.invalidField("body", error.message) }
        }
        if let templateID {
            guard let template = try await templates.get(scope, id: templateID) else { throw APIError.notFound("template") }
            // The template's channel is its state, not the request's shape: a conflict, as for an email given an SMS template.
            guard template.channel == "sms" else {
                throw APIError.conflict("template \(templateID) is an email template; an SMS needs an SMS template",
                                        details: .object(["field": "template_id"]))
            }
        }
        let timeZone = try body.string("time_zone", max: 64)
        let dueMs = try ScheduleTime.resolve(try body.string("scheduled_at", max: 40), timeZone: timeZone, now: now)
        let scheduledAt = Timestamp.at(milliseconds: dueMs)
        let category = try body.string("category", max: 50) ?? "general"
        let campaign = try body.string("campaign", max: 100)

        let recipients = try await self.recipients(scope, body, target: targets[0])
        // With a recurrence: a series to one contact, its first occurrence due when the rule says.
        let series = try NewSeries(body, recipientZone: NewSeries.timeZone(recipients.found.first?.custom_fields), now: now)
        var rows: [MessageStore.NewMessage] = []
        var skipped: [Skipped] = []
        for contact in recipients.found {
            guard let phone = contact.phone else {
                // A contact with only an email address: named alone, the request cannot be done; in a list
                // or a group, it is passed over as an opted-out one is.
                if targets[0] == "contact_id" {
                    throw APIError.conflict("contact \(contact.id) has no phone number; send it an email instead",
                                            details: .object(["field": "contact_id", "reason": "no_phone"]))
                }
                skipped.append(Skipped(contact_id: contact.id, reason: "no_phone"))
                continue
            }
            if contact.sms_consent.status == "opted_out" {
                skipped.append(Skipped(contact_id: contact.id, reason: "opted_out"))
                continue
            }
            let row = MessageStore.NewMessage(
                id: ResourceID.make("msg"), contactID: contact.id, to: phone, templateID: templateID, body: text,
                scheduledAt: scheduledAt, dueMs: dueMs, timeZone: timeZone, category: category, campaign: campaign)
            rows.append(series?.first(row) ?? row)
        }
        skipped += recipients.missing.map { Skipped(contact_id: $0, reason: "not_found") }
        if !rows.isEmpty {
            let created = Timestamp.now(clock)
            try await messages.database.transaction { [rows] tx in
                try MessageStore.insert(tx, scope, createdBy: createdBy, rows, now: created)
                try series?.insert(tx, scope, createdBy: createdBy, first: rows[0], now: created)
            }
            try await queue.enqueue(rows.map { (DeliveryJob(messageID: $0.id, version: 1), $0.dueMs) })
        }
        let single = rows.count == 1 && targets[0] == "contact_id" ? try await messages.get(scope, id: rows[0].id) : nil
        return Scheduled(scheduled: rows.count, ids: rows.map(\.id), skipped: skipped, scheduled_at: rows.first?.scheduledAt ?? scheduledAt, message: single,
                         series_id: rows.isEmpty ? nil : series?.id)
    }

    /// The contacts a request names, and the ids it named that the workspace does not have.
    private func recipients(_ scope: TenantScope, _ body: JSONBody, target: String) async throws -> (found: [Contact], missing: [String]) {
        let database = messages.database
        switch target {
        case "group_id":
            let groupID = try body.requiredString("group_id", max: 64)
            guard try await database.prepare("SELECT 1 FROM groups WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, groupID).first() != nil else {
                throw APIError.notFound("group")
            }
            let members = try await database.prepare("""
                SELECT \(ContactStore.columns) FROM group_members m JOIN contacts c ON c.id = m.contact_id
                WHERE m.group_id = ? AND c.workspace_id = ? LIMIT 10001
                """).bind(groupID, scope.workspaceID).all(Contact.self)
            guard members.count <= 10_000 else { throw APIError.invalidField("group_id", "the group has more than 10,000 members; split the send") }
            return (members, [])
        default:
            let ids = target == "contact_id" ? [try body.requiredString("contact_id", max: 64)] : try body.ids()
            let found = try await database.prepare("""
                SELECT \(ContactStore.columns) FROM contacts c WHERE c.workspace_id = ? AND c.id IN (SELECT value FROM \(database.dialect.elements()))
                """).bind(scope.workspaceID, SQLList.json(ids)).all(Contact.self)
            if target == "contact_id", found.isEmpty { throw APIError.notFound("contact") }
            // In the order asked for, so the answer's ids line up with the request's.
            let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            let ordered = ids.compactMap { id in seen.insert(id).inserted ? byID[id] : nil }
            return (ordered, ids.filter { byID[$0] == nil })
        }
    }
}
