import OzziRuntime

/// Contact search on SQLite: the FTS5 table `contacts_fts` (kept by triggers, rowid = contacts.rowid),
/// ranked by BM25 with the columns weighted name 10, email 4, phone digits 4, notes 1, custom values 2.
struct FTS5ContactSearch: ContactSearch {
    func select(_ columns: String, _ terms: ContactSearchTerms, where conditions: [String], _ values: [any SQLBindable],
                limit: Int, offset: Int) -> (sql: String, values: [any SQLBindable]) {
        let exactName = terms.exactName
        let order = exactName != nil
            ? "ORDER BY (lower(c.name) = lower(?)) DESC, bm25(contacts_fts, 10.0, 4.0, 4.0, 1.0, 2.0), c.rowid"
            : "ORDER BY contacts_fts.rowid DESC"
        let sql = """
            SELECT \(columns) FROM contacts_fts JOIN contacts c ON c.rowid = contacts_fts.rowid
            WHERE contacts_fts MATCH ? AND \(conditions.joined(separator: " AND ")) \(order) LIMIT ? OFFSET ?
            """
        return (sql, [Self.match(terms)] + values + (exactName.map { [$0] } ?? []) + [limit, offset])
    }

    /// The FTS5 expression: each word quoted (user input is never FTS syntax); a prefix searches the name,
    /// email and phone columns, its last word as `*`.
    static func match(_ terms: ContactSearchTerms) -> String {
        switch terms {
        case .words(let words, _):
            // The last word as a word's start, as the search box does: it finds as one types.
            return SearchTerms(words: words).fts5
        case .prefix(let words):
            let exact = words.dropLast().map { "\"\($0)\"" }
            return "{name email phone_digits} : " + (exact + words.suffix(1).map { "\"\($0)\"*" }).joined(separator: " ")
        }
    }
}
