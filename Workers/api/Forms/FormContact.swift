import OzziRuntime

/// A submission's answers on the workspace's contacts: the contact with the submitted email address (else
/// the phone) is updated, or a new one is made; only answered fields are written, so a field the visitor
/// left empty never clears what the contact had. A ticked consent box opts the contact in on its channel,
/// with the form, its version and the time as the method.
enum FormContact {
    /// The fields the answers give, by contact column (`custom.x` gathered into `custom`).
    struct Mapped {
        var columns: [String: String] = [:]
        var custom: [String: JSONValue] = [:]
        var consents: [(channel: String, wording: String)] = []

        init(_ definition: FormDefinition, _ answers: [String: JSONValue]) {
            for field in definition.fields {
                guard let answer = answers[field.key] else { continue }
                if field.kind == .consent {
                    if answer == .bool(true), let channel = field.channel { consents.append((channel, field.label)) }
                    continue
                }
                guard let target = field.mapsTo else { continue }
                let value: JSONValue = switch answer {
                // A contact's custom fields hold scalars: several choices are kept as one text.
                case .array(let items): .string(items.compactMap(\.stringValue).joined(separator: ", "))
                default: answer
                }
                if target.hasPrefix("custom.") {
                    custom[String(target.dropFirst(7))] = value
                } else if let text = value.stringValue, !text.isEmpty {
                    columns[target] = text
                }
            }
        }
    }

    /// The contact the submission created or updated, or nil when it gave neither an email nor a phone.
    static func upsert(_ tx: SQLTransaction, _ scope: TenantScope, _ mapped: Mapped, method: String, now: String) throws -> String? {
        let email = mapped.columns["email"], phone = mapped.columns["phone"]
        guard email != nil || phone != nil else { return nil }
        func find(_ column: String, _ value: String?) throws -> String? {
            guard let value else { return nil }
            return try tx.all("SELECT id FROM contacts WHERE workspace_id = ? AND \(column) = ?", scope.workspaceID, value).first?.text("id")
        }
        let byEmail = try find("email", email), byPhone = try find("phone", phone)
        let id: String
        var event = "contact.updated"
        if let existing = byEmail ?? byPhone {
            id = existing
            var sets: [String] = [], values: [any SQLBindable] = []
            for column in ["name", "first_name", "last_name", "notes"] {
                if let value = mapped.columns[column] { sets.append("\(column) = ?"); values.append(value) }
            }
            if mapped.columns["name"] == nil, mapped.columns["first_name"] != nil || mapped.columns["last_name"] != nil {
                // The display name follows the parts it is made of.
                sets.append("name = trim(coalesce(?, first_name) || ' ' || coalesce(?, last_name))")
                values.append(mapped.columns["first_name"]); values.append(mapped.columns["last_name"])
            }
            // An address another contact has stays theirs: the submission fills only what is free.
            if let email, byEmail == nil, try find("email", email) == nil { sets.append("email = ?"); values.append(email) }
            if let phone, byPhone == nil, try find("phone", phone) == nil {
                sets.append("phone = ?, phone_search = ?"); values.append(phone); values.append(ContactInput.phoneSearch(phone))
            }
            if !mapped.custom.isEmpty {
                sets.append("custom_fields = \(tx.dialect.jsonMerge("custom_fields", "?"))"); values.append(ContactStore.json(mapped.custom))
            }
            sets.append("updated_at = ?"); values.append(now)
            try tx.execute("UPDATE contacts SET \(sets.joined(separator: ", ")) WHERE workspace_id = ? AND id = ?",
                           (values + [scope.workspaceID, id]).map(\.sqlValue))
        } else {
            id = ResourceID.make("con")
            event = "contact.created"
            var input = ContactInput()
            input.name = mapped.columns["name"]
            input.firstName = mapped.columns["first_name"]
            input.lastName = mapped.columns["last_name"]
            input.fillNames()
            input.email = email.map { .some($0) }
            input.phone = phone
            input.notes = mapped.columns["notes"]
            input.customFields = mapped.custom
            input.source = "form"
            try ContactStore.insert(tx, scope, id: id, input, now: now)
        }
        for consent in mapped.consents {
            try tx.run("""
                UPDATE contacts SET \(consent.channel)_consent = 'opted_in', \(consent.channel)_consent_at = ?, \(consent.channel)_consent_method = ?, updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """, now, method, now, scope.workspaceID, id)
            if consent.channel == "email", let email {
                // Opting in again on a form lifts the person's own earlier unsubscribe (not a bounce or complaint).
                try tx.run("DELETE FROM email_suppressions WHERE workspace_id = ? AND address = ? AND reason = 'unsubscribe'", scope.workspaceID, email)
            }
        }
        try WorkspaceEvents.record(tx, [(scope, event, ["contact_id": .string(id)] as JSONValue)], at: now)
        return id
    }
}
