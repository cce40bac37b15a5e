import OzziRuntime

/// Deletes sent messages for good — an erasure, a retention run — with what hangs off them: their
/// timelines, engagement counts, and their own email content. A transactional email's content is its own
/// (`EmailScheduler` makes one per email); a campaign's or a series' is shared and goes with them.
enum MessageRemoval {
    /// Deletes the workspace's messages among `ids`; answers how many.
    static func remove(_ tx: SQLTransaction, _ scope: TenantScope, ids: [String]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let list = SQLList.json(ids)
        let inList = "(SELECT value FROM \(tx.dialect.elements()))"
        let contents = try tx.all("""
            SELECT content_id FROM messages WHERE workspace_id = ? AND id IN \(inList) AND content_id IS NOT NULL AND campaign_id IS NULL AND series_id IS NULL
            """, scope.workspaceID, list).compactMap { $0.text("content_id") }
        try tx.run("DELETE FROM message_events WHERE message_id IN \(inList)", list)
        try tx.run("DELETE FROM email_engagement WHERE workspace_id = ? AND message_id IN \(inList)", scope.workspaceID, list)
        let removed = try tx.run("DELETE FROM messages WHERE workspace_id = ? AND id IN \(inList)", scope.workspaceID, list).changes
        try dropContent(tx, scope, ids: contents)
        return removed
    }

    /// Deletes the email contents among `ids`, which only the messages or series removed used.
    static func dropContent(_ tx: SQLTransaction, _ scope: TenantScope, ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try tx.run("DELETE FROM email_contents WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements()))", scope.workspaceID, SQLList.json(ids))
    }
}
