import OzziRuntime

/// Removes everything a workspace holds about one contact (GDPR Art. 17), in the caller's transaction:
/// the same records `PersonalData` exports. Two things stay, stated in the answer: a suppression of the
/// contact's email address (erasing it would let the next import mail them again, against the objection
/// they made), and the completed erasure request itself, with the address replaced by its hash, as the
/// record that the erasure was done.
enum Erasure {
    /// What was removed, by kind.
    /// `objects`: bucket keys of what was erased (calls' recordings), for the caller to delete once the
    /// transaction has committed.
    static func erase(_ tx: SQLTransaction, _ scope: TenantScope, contactID: String, phone: String?, email: String?,
                      objects: inout [String]) throws -> [String: Int] {
        let ws = scope.workspaceID
        let addresses = SQLList.json([phone, email].compactMap { $0 })
        let inList = "(SELECT value FROM \(tx.dialect.elements()))"
        var erased: [String: Int] = [:]

        let messageIDs = try tx.all("SELECT id FROM messages WHERE workspace_id = ? AND (contact_id = ? OR to_phone IN \(inList))", ws, contactID, addresses)
            .compactMap { $0.text("id") }
        erased["messages"] = try MessageRemoval.remove(tx, scope, ids: messageIDs)
        erased["inbound_messages"] = try tx.run("DELETE FROM inbound_messages WHERE workspace_id = ? AND (contact_id = ? OR from_phone IN \(inList))",
                                                ws, contactID, addresses).changes
        // Chat sessions linked to them, or where a visitor typed their address (not linked, as unverified),
        // and the conversations of either.
        let visitors = SQLList.json(try tx.all("SELECT id FROM widget_visitors WHERE workspace_id = ? AND (contact_id = ? OR email IN \(inList))",
                                               ws, contactID, addresses).compactMap { $0.text("id") })
        erased["conversations"] = try tx.run("DELETE FROM conversations WHERE workspace_id = ? AND (contact_id = ? OR visitor_id IN \(inList))",
                                             ws, contactID, visitors).changes
        erased["chat_sessions"] = try tx.run("DELETE FROM widget_visitors WHERE workspace_id = ? AND id IN \(inList)", ws, visitors).changes
        try tx.run("DELETE FROM email_soft_bounces WHERE workspace_id = ? AND address IN \(inList)", ws, addresses)
        let seriesContent = try tx.all("SELECT content_id FROM series WHERE workspace_id = ? AND (contact_id = ? OR to_address IN \(inList)) AND content_id IS NOT NULL",
                                       ws, contactID, addresses).compactMap { $0.text("content_id") }
        // Their recurring sends stop with them (occurrences go with each series).
        erased["series"] = try tx.run("DELETE FROM series WHERE workspace_id = ? AND (contact_id = ? OR to_address IN \(inList))", ws, contactID, addresses).changes
        try MessageRemoval.dropContent(tx, scope, ids: seriesContent)
        // Their form submissions (with their workflows' records); a submission is theirs by its contact.
        erased["form_submissions"] = try tx.run("DELETE FROM form_submissions WHERE workspace_id = ? AND contact_id = ?", ws, contactID).changes
        erased["portal_users"] = try tx.run("DELETE FROM portal_users WHERE workspace_id = ? AND (contact_id = ? OR email IN \(inList))",
                                            ws, contactID, addresses).changes
        // Their calls, with transcripts, reviews and recordings; the dashboard's totals lose their share.
        let calls = try tx.all(Call.self, CallStore.select + " WHERE workspace_id = ? AND (contact_id = ? OR from_number IN \(inList) OR to_number IN \(inList))",
                               ws, contactID, addresses, addresses)
        for call in calls {
            objects += try tx.all("SELECT object_key FROM call_recordings WHERE call_id = ? AND object_key IS NOT NULL", call.id).compactMap { $0.text("object_key") }
            try CallDailyStats.move(tx, from: call, to: nil)
            try tx.run("DELETE FROM calls WHERE id = ?", call.id)
        }
        erased["calls"] = calls.count
        // Call campaigns call them no more, and keep no number of theirs.
        erased["call_campaign_targets"] = try tx.run("DELETE FROM call_campaign_targets WHERE workspace_id = ? AND contact_id = ?", ws, contactID).changes
        erased["contacts"] = try tx.run("DELETE FROM contacts WHERE workspace_id = ? AND id = ?", ws, contactID).changes
        return erased
    }
}
