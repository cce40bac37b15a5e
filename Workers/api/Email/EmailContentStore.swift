import OzziRuntime

/// `email_contents`: written with the messages that use it, read by the engine once per batch for the
/// distinct contents of its emails (a campaign's batch of hundreds reads its one row once).
struct EmailContentStore: Sendable {
    let database: any SQLDatabase

    static func insert(_ tx: SQLTransaction, _ scope: TenantScope, _ content: EmailContent, now: String) throws {
        try tx.run("""
            INSERT INTO email_contents (id, workspace_id, from_address, reply_to, template_id, subject, html, text, tags, track_opens, track_clicks,
                                        list_unsubscribe, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, content.id, scope.workspaceID, content.from, content.replyTo, content.templateID, content.subject, content.html, content.text,
                   content.tagsJSON, content.trackOpens ? 1 : 0, content.trackClicks ? 1 : 0, content.listUnsubscribe ? 1 : 0, now)
    }

    /// Replaces a content's parts (a paused campaign's edit): messages not sent yet render the new ones.
    static func update(_ tx: SQLTransaction, _ content: EmailContent) throws {
        try tx.run("""
            UPDATE email_contents SET from_address = ?, reply_to = ?, template_id = ?, subject = ?, html = ?, text = ?, tags = ?, track_opens = ?,
              track_clicks = ?, list_unsubscribe = ? WHERE id = ?
            """, content.from, content.replyTo, content.templateID, content.subject, content.html, content.text, content.tagsJSON,
                   content.trackOpens ? 1 : 0, content.trackClicks ? 1 : 0, content.listUnsubscribe ? 1 : 0, content.id)
    }

    /// The contents, a template's subject and bodies standing in for the content's own when it names one
    /// (a deleted template leaves them empty: the send fails naming it).
    func contents(_ ids: some Collection<String>) async throws -> [String: EmailContent] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.prepare("""
            SELECT c.id, c.from_address, c.reply_to, c.template_id, c.tags, c.track_opens, c.track_clicks, c.list_unsubscribe,
                   CASE WHEN c.template_id IS NULL THEN c.subject ELSE t.subject END AS subject,
                   CASE WHEN c.template_id IS NULL THEN c.html ELSE t.html END AS html,
                   CASE WHEN c.template_id IS NULL THEN c.text ELSE t.text END AS text
            FROM email_contents c LEFT JOIN templates t ON t.id = c.template_id AND t.workspace_id = c.workspace_id AND t.channel = 'email'
            WHERE c.id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(SQLList.json(Array(ids))).all(EmailContent.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
