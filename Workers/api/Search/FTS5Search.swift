import OzziRuntime

/// Search on SQLite: the FTS5 tables of migration 0036, ranked by BM25. A page's snippets come from a
/// subquery over its rows only (FTS5 computes an auxiliary function for each row it returns, and the
/// ranking reads every match).
struct FTS5Search: SearchEngine {
    func messages(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT CAST(m.seq AS TEXT) AS id, m.community_id, m.channel_id, coalesce(u.name, '') AS title, m.created_at,
          (SELECT snippet(community_messages_fts, 0, char(1), char(2), '…', 16) FROM community_messages_fts
           WHERE community_messages_fts MATCH ? AND community_messages_fts.rowid = top.rowid) AS snippet
        FROM (SELECT f.rowid, f.rank FROM community_messages_fts f JOIN community_messages m2 ON m2.rowid = f.rowid
              WHERE f.community_messages_fts MATCH ? AND m2.channel_id IN (SELECT value FROM json_each(?)) AND m2.deleted_at IS NULL
              ORDER BY f.rank LIMIT ?) top
        JOIN community_messages m ON m.rowid = top.rowid LEFT JOIN users u ON u.id = m.author_id
        ORDER BY top.rank
        """, [terms.fts5, terms.fts5, SQLList.json(channels), limit])
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
