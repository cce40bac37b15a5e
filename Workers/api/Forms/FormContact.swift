import OzziRuntime

/// A submission's answers on the workspace's contacts: the contact with the submitted email address (else
/// the phone) is updated, or a new one is made; only answered fields are written, so a field the visitor
/// left empty never clears what the contact had. A ticked consent box opts the contact in on its channel,
/// with the form, its version and the time as the method (see `upsert` for what a form may not change).
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
    /// A new contact waits in `pending` (with its consent) until the batch is written, and is `known` to the
    /// batch's later submissions; its event goes to `events`, in order with the batch's others.
    static func upsert(_ tx: SQLTransaction, _ scope: TenantScope, _ mapped: Mapped, method: String, now: String, known: inout Known,
                       pending: inout Pending, events: inout [(TenantScope, String, JSONValue)]) throws -> String? {
        let email = mapped.columns["email"], phone = mapped.columns["phone"]
        guard email != nil || phone != nil else { return nil }
        // Written before it is updated.
        if pending.has(scope, email: email, phone: phone) { try pending.write(tx, now: now) }
        guard let id = known.id(scope, email: email, phone: phone) else {
            let id = ResourceID.make("con")
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
            // A new contact has no opt-out to respect: a ticked box opts in the address given.
            for consent in mapped.consents {
                if consent.channel == "sms", phone != nil { input.consent = ("opted_in", method) }
                if consent.channel == "email", email != nil { input.emailConsent = ("opted_in", method) }
            }
            pending.add(scope, id: id, input)
            known.add(scope, id: id, email: email, phone: phone)
            events.append((scope, "contact.created", ["contact_id": .string(id)]))
            return id
        }
        // Nobody proves on a form that an address is theirs: an existing contact's addresses are never
        // added to or changed (else anyone could attach their own email to someone else's contact, and
        // read or receive what is theirs). What was answered of the rest is written; notes are added to.
        var sets: [String] = [], values: [any SQLBindable] = []
        for column in ["name", "first_name", "last_name"] {
            if let value = mapped.columns[column] { sets.append("\(column) = ?"); values.append(value) }
        }
        if mapped.columns["name"] == nil, mapped.columns["first_name"] != nil || mapped.columns["last_name"] != nil {
            // The display name follows the parts it is made of.
            sets.append("name = trim(coalesce(?, first_name) || ' ' || coalesce(?, last_name))")
            values.append(mapped.columns["first_name"]); values.append(mapped.columns["last_name"])
        }
        if let notes = mapped.columns["notes"] {
            sets.append("notes = CASE WHEN notes = '' THEN ? ELSE notes || ? END"); values.append(notes); values.append("\n\n" + notes)
        }
        if !mapped.custom.isEmpty {
            sets.append("custom_fields = \(tx.dialect.jsonMerge("custom_fields", "?"))"); values.append(ContactStore.json(mapped.custom))
        }
        sets.append("updated_at = ?"); values.append(now)
        try tx.execute("UPDATE contacts SET \(sets.joined(separator: ", ")) WHERE workspace_id = ? AND id = ?",
                       (values + [scope.workspaceID, id]).map(\.sqlValue))
        // A ticked box opts in the address this submission gave on that channel, when it is the contact's,
        // and never over an opt-out (a STOP, an unsubscribe): anyone can type someone else's address into a
        // form, so only the person's own confirmed ways back (a reply, the portal, a link) lift those.
        for consent in mapped.consents {
            guard let address = consent.channel == "sms" ? phone : email else { continue }
            try tx.run("""
                UPDATE contacts SET \(consent.channel)_consent = 'opted_in', \(consent.channel)_consent_at = ?, \(consent.channel)_consent_method = ?, updated_at = ?
                WHERE workspace_id = ? AND id = ? AND \(consent.channel == "sms" ? "phone" : "email") = ? AND \(consent.channel)_consent <> 'opted_out'
                """, now, method, now, scope.workspaceID, id, address)
        }
        events.append((scope, "contact.updated", ["contact_id": .string(id)]))
        return id
    }
}
