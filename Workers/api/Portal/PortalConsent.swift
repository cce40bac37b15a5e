import OzziRuntime

/// The consent a portal user gives or withdraws for SMS and email from the workspace. Withdrawing email
/// consent also suppresses the address (as the unsubscribe link does), so no send path can miss it; giving
/// it again lifts only a suppression the person made — bounces and complaints stay.
enum PortalConsent {
    static let method = "client portal"

    static let body = Schema.object([
        .optional("sms", Schema.oneOf(["opted_in", "opted_out"])),
        .optional("email", Schema.oneOf(["opted_in", "opted_out"])),
    ], atLeastOne: [["sms", "email"]], closed: true)

    static let answer = Schema.object([
        .required("sms", .model(Contact.Consent.self)),
        .required("email", .model(Contact.Consent.self)),
    ], closed: true)

    static func answer(_ contact: Contact) -> JSONValue {
        (try? JSONValueEncoder.encode(["sms": contact.sms_consent, "email": contact.email_consent])) ?? .null
    }

    /// Applies what `sms` and `email` give to the principal's contact.
    static func change(_ database: any SQLDatabase, _ principal: PortalPrincipal, sms: String?, email: String?, now: String) async throws {
        let scope = principal.scope, contactID = principal.contactID
        try await database.transaction { tx in
            guard let contact = try tx.all("SELECT email FROM contacts WHERE workspace_id = ? AND id = ?", scope.workspaceID, contactID).first else { return }
            var changed: [String: JSONValue] = [:]
            if let sms {
                changed["sms_consent"] = .string(sms)
                try tx.run("UPDATE contacts SET sms_consent = ?, sms_consent_at = ?, sms_consent_method = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                           sms, now, method, now, scope.workspaceID, contactID)
            }
            if let email {
                changed["email_consent"] = .string(email)
                try tx.run("UPDATE contacts SET email_consent = ?, email_consent_at = ?, email_consent_method = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                           email, now, method, now, scope.workspaceID, contactID)
                if let address = contact.text("email") {
                    if email == "opted_out" {
                        try SuppressionStore.add(tx, scope: scope, address: address, reason: .unsubscribe, messageID: nil, now: now)
                        // `add` recorded its own method; the person's choice was made here.
                        try tx.run("UPDATE contacts SET email_consent_method = ? WHERE workspace_id = ? AND id = ?", method, scope.workspaceID, contactID)
                    } else {
                        try tx.run("DELETE FROM email_suppressions WHERE workspace_id = ? AND address = ? AND reason = 'unsubscribe'", scope.workspaceID, address.lowercased())
                    }
                }
            }
            changed["contact_id"] = .string(contactID)
            try WorkspaceEvents.record(tx, [(scope, "contact.updated", .object(changed))], at: now)
        }
    }
}
