import OzziRuntime

/// Contact search on PostgreSQL: the generated `contacts.search` tsvector under a GIN index, its parts
/// weighted A name, B email and phone digits, C custom values, D notes; ranked by `ts_rank` with the
/// weights SQLite's BM25 gives them (1.0, 0.4, 0.2, 0.1). A typeahead's last word is a `:*` prefix
/// match, restricted to A and B (name, email, phone).
struct TSVectorContactSearch: ContactSearch {
    func select(_ columns: String, _ terms: ContactSearchTerms, where conditions: [String], _ values: [any SQLBindable],
                limit: Int, offset: Int) -> (sql: String, values: [any SQLBindable]) {
        let query = Self.query(terms)
        let exactName = terms.exactName
        let order = exactName != nil
            ? "ORDER BY (lower(c.name) = lower(?)) DESC, ts_rank('{0.1, 0.2, 0.4, 1.0}', c.search, to_tsquery('simple', ?)) DESC, c.rowid"
            : "ORDER BY c.rowid DESC"
        let sql = """
            SELECT \(columns) FROM contacts c
            WHERE c.search @@ to_tsquery('simple', ?) AND \(conditions.joined(separator: " AND ")) \(order) LIMIT ? OFFSET ?
            """
        return (sql, [query] + values + (exactName.map { [$0, query] } ?? []) + [limit, offset])
    }

    /// The tsquery text: every word quoted as a lexeme (user input is never tsquery syntax; words hold only
    /// letters and digits) and all required.
    static func query(_ terms: ContactSearchTerms) -> String {
        switch terms {
        case .words(let words, _):
            // The last word as a word's start, as the search box does: it finds as one types.
            return SearchTerms(words: words).tsquery
        case .prefix(let words):
            let exact = words.dropLast().map { "'\($0)':AB" }
            return (exact + words.suffix(1).map { "'\($0)':*AB" }).joined(separator: " & ")
        }
    }
}
