import OzziRuntime

/// Search on SQLite: the FTS5 tables of migration 0036, ranked by BM25. A page's snippets come from a
/// subquery over its rows only (FTS5 computes an auxiliary function for each row it returns, and the
/// ranking reads every match).
struct FTS5Search: SearchEngine {
    /// How many of the newest readable matches a message search ranks. A common word matches a tenth of a
    /// million messages, and ranking reads each candidate's text: ranking the newest 1,000 keeps a search's
    /// cost bounded whatever the words (chat search favours the recent anyway; older messages are reached by
    /// more words, or a channel).
    static let messageWindow = 1000

    /// Three steps: the newest readable matches with their texts (FTS5 walks its list newest first and
    /// stops), BM25 over them in Swift with the IDF from the index's term counts (`MessageRanking`), then
    /// the hits' columns and snippets for the page only.
    func messages(_ database: any SQLDatabase, _ terms: SearchTerms, channels: [String], limit: Int) async throws -> [SearchRow] {
        let candidates = try await database.prepare("""
            SELECT f.rowid AS id, m.body FROM community_messages_fts f JOIN community_messages m ON m.rowid = f.rowid
            WHERE f.community_messages_fts MATCH ? AND m.channel_id IN (SELECT value FROM json_each(?)) AND m.deleted_at IS NULL
            ORDER BY f.rowid DESC LIMIT ?
            """).bind(terms.fts5, SQLList.json(channels), Self.messageWindow).all()
        guard !candidates.isEmpty else { return [] }
        // Each word's document count for its IDF: exact when it is in fewer than a window's messages, else
        // estimated from how far back its newest window reaches (FTS5's own counts read the whole list).
        let total = Int(try await database.prepare("SELECT coalesce(max(rowid), 0) AS n FROM community_messages").first()?.integer("n") ?? 0)
        var counts: [Int] = []
        for (index, word) in terms.words.enumerated() {
            let phrase = SearchTerms(words: [word])
            let sample = try await database.prepare("""
                SELECT count(*) AS n, min(rowid) AS low FROM (SELECT rowid FROM community_messages_fts WHERE community_messages_fts MATCH ?
                ORDER BY rowid DESC LIMIT ?)
                """).bind(index == terms.words.count - 1 ? phrase.fts5 : "\"\(word)\"", Self.messageWindow).first()
            let found = Int(sample?.integer("n") ?? 0), low = Int(sample?.integer("low") ?? 1)
            counts.append(found < Self.messageWindow ? found : found * total / max(1, total - low + 1))
        }
        let ranking = MessageRanking(terms: terms, documentCounts: counts, totalDocuments: max(total, candidates.count))
        let top = ranking.order(candidates.map { $0.text("body") ?? "" }).prefix(limit).compactMap { candidates[$0].integer("id") }
        // The page in ranked order (json_each's key is each id's place in it), a snippet for each of its rows.
        return try await database.prepare("""
            SELECT CAST(m.seq AS TEXT) AS id, m.community_id, m.channel_id, coalesce(u.name, '') AS title, m.created_at,
              (SELECT snippet(community_messages_fts, 0, char(1), char(2), '…', 16) FROM community_messages_fts
               WHERE community_messages_fts MATCH ? AND community_messages_fts.rowid = page.value) AS snippet
            FROM json_each(?) page JOIN community_messages m ON m.rowid = page.value LEFT JOIN users u ON u.id = m.author_id
            ORDER BY page.key
            """).bind(terms.fts5, SQLList.json(top.map { JSONValue.number(Double($0)) })).all(SearchRow.self)
    }

    func channels(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT ch.id, ch.community_id, ch.id AS channel_id, ch.name AS title, ch.created_at,
          highlight(community_channels_fts, 1, char(1), char(2)) AS snippet
        FROM community_channels_fts JOIN community_channels ch ON ch.rowid = community_channels_fts.rowid
        WHERE community_channels_fts MATCH ? AND ch.id IN (SELECT value FROM json_each(?))
        ORDER BY bm25(community_channels_fts, 4.0, 1.0) LIMIT ?
        """, [terms.fts5, SQLList.json(channels), limit])
    }

    func files(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT f.id, f.community_id, f.channel_id, f.name AS title, f.created_at,
          highlight(community_files_fts, 0, char(1), char(2))
            || CASE WHEN f.description = '' THEN '' ELSE ': ' || snippet(community_files_fts, 1, char(1), char(2), '…', 12) END AS snippet
        FROM community_files_fts JOIN community_files f ON f.rowid = community_files_fts.rowid
        WHERE community_files_fts MATCH ? AND f.message_seq IS NOT NULL AND f.channel_id IN (SELECT value FROM json_each(?))
        ORDER BY bm25(community_files_fts, 4.0, 1.0) LIMIT ?
        """, [terms.fts5, SQLList.json(channels), limit])
    }

    func communities(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT c.id, c.id AS community_id, NULL AS channel_id, c.name AS title, c.created_at,
          snippet(communities_fts, 1, char(1), char(2), '…', 16) AS snippet
        FROM communities_fts JOIN communities c ON c.rowid = communities_fts.rowid
        WHERE communities_fts MATCH ? AND c.id IN (SELECT value FROM json_each(?))
        ORDER BY bm25(communities_fts, 4.0, 1.0) LIMIT ?
        """, [terms.fts5, SQLList.json(communities), limit])
    }

    func members(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT u.id, (SELECT min(m.community_id) FROM community_members m WHERE m.user_id = u.id AND m.community_id IN (SELECT value FROM json_each(?))) AS community_id,
          NULL AS channel_id, u.name AS title, NULL AS created_at, highlight(users_fts, 0, char(1), char(2)) AS snippet
        FROM users_fts JOIN users u ON u.rowid = users_fts.rowid
        WHERE users_fts MATCH ? AND EXISTS (SELECT 1 FROM community_members m WHERE m.user_id = u.id AND m.community_id IN (SELECT value FROM json_each(?)))
        ORDER BY bm25(users_fts) LIMIT ?
        """, [SQLList.json(communities), terms.fts5, SQLList.json(communities), limit])
    }
}
