import OzziRuntime

/// Search on PostgreSQL: the generated `search` tsvectors of migration 0036 under GIN indexes, ranked by
/// `ts_rank`; `ts_headline` runs over a page's rows only (it re-parses the text, the costly part).
struct TSVectorSearch: SearchEngine {
    /// ts_headline's options: matches between U+0001 and U+0002, about a dozen words around them.
    /// `<` and `>` as U+0003 and U+0004 for ts_headline, whose parser would take `<b>` for a tag and drop it;
    /// `Snippet` turns them back (escaped).
    static let angles = "\u{3}\u{4}"
    static let headline = "StartSel=\u{1}, StopSel=\u{2}, MaxWords=24, MinWords=8, ShortWord=0, MaxFragments=1, FragmentDelimiter=…"

    func messages(_ database: any SQLDatabase, _ terms: SearchTerms, channels: [String], limit: Int) async throws -> [SearchRow] {
        try await database.prepare("""
        SELECT CAST(top.seq AS TEXT) AS id, top.community_id, top.channel_id, coalesce(u.name, '') AS title, top.created_at,
          ts_headline('simple', translate(top.body, '<>', ?), to_tsquery('simple', ?), ?) AS snippet
        FROM (SELECT m.seq, m.community_id, m.channel_id, m.author_id, m.body, m.created_at, ts_rank(m.search, to_tsquery('simple', ?)) AS score
              FROM community_messages m
              WHERE m.search @@ to_tsquery('simple', ?) AND m.channel_id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)))
                AND m.deleted_at IS NULL
              ORDER BY score DESC, m.seq DESC LIMIT ?) top
        LEFT JOIN users u ON u.id = top.author_id
        ORDER BY top.score DESC, top.seq DESC
        """).bind(Self.angles, terms.tsquery, Self.headline, terms.tsquery, terms.tsquery, SQLList.json(channels), limit).all(SearchRow.self)
    }

    func channels(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT ch.id, ch.community_id, ch.id AS channel_id, ch.name AS title, ch.created_at,
          ts_headline('simple', translate(ch.topic, '<>', ?), to_tsquery('simple', ?), ?) AS snippet
        FROM community_channels ch
        WHERE ch.search @@ to_tsquery('simple', ?) AND ch.id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)))
        ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', ch.search, to_tsquery('simple', ?)) DESC, ch.id LIMIT ?
        """, [Self.angles, terms.tsquery, Self.headline, terms.tsquery, SQLList.json(channels), terms.tsquery, limit])
    }

    func files(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT f.id, f.community_id, f.channel_id, f.name AS title, f.created_at,
          -- The name as the index split it (its words marked one by one; the title keeps it as it is).
          ts_headline('simple', translate(regexp_replace(f.name, '[-_.]+', ' ', 'g')
                                          || CASE WHEN f.description = '' THEN '' ELSE ': ' || f.description END, '<>', ?),
                      to_tsquery('simple', ?), ?) AS snippet
        FROM community_files f
        WHERE f.search @@ to_tsquery('simple', ?) AND f.message_seq IS NOT NULL
          AND f.channel_id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)))
        ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', f.search, to_tsquery('simple', ?)) DESC, f.id LIMIT ?
        """, [Self.angles, terms.tsquery, Self.headline, terms.tsquery, SQLList.json(channels), terms.tsquery, limit])
    }

    func communities(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT c.id, c.id AS community_id, NULL AS channel_id, c.name AS title, c.created_at,
          ts_headline('simple', translate(c.description, '<>', ?), to_tsquery('simple', ?), ?) AS snippet
        FROM communities c
        WHERE c.search @@ to_tsquery('simple', ?) AND c.id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)))
        ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', c.search, to_tsquery('simple', ?)) DESC, c.id LIMIT ?
        """, [Self.angles, terms.tsquery, Self.headline, terms.tsquery, SQLList.json(communities), terms.tsquery, limit])
    }

    func members(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable]) {
        ("""
        SELECT u.id, (SELECT min(m.community_id) FROM community_members m WHERE m.user_id = u.id
                      AND m.community_id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb)))) AS community_id,
          NULL AS channel_id, u.name AS title, NULL AS created_at, ts_headline('simple', translate(coalesce(u.name, ''), '<>', ?), to_tsquery('simple', ?), ?) AS snippet
        FROM users u
        WHERE u.search @@ to_tsquery('simple', ?) AND EXISTS (SELECT 1 FROM community_members m WHERE m.user_id = u.id
              AND m.community_id IN (SELECT value FROM jsonb_array_elements_text(CAST(? AS jsonb))))
        ORDER BY ts_rank(u.search, to_tsquery('simple', ?)) DESC, u.id LIMIT ?
        """, [SQLList.json(communities), Self.angles, terms.tsquery, Self.headline, terms.tsquery, SQLList.json(communities), terms.tsquery, limit])
    }
}
