import OzziRuntime

/// Full-text search over a workspace's contacts, which each engine indexes its own way: FTS5 ranked by
/// BM25 on SQLite (`FTS5ContactSearch`), a `tsvector` column under a GIN index ranked by `ts_rank` on
/// PostgreSQL (`TSVectorContactSearch`). Both rank an exact name first, then by weighted relevance (name
/// over email and phone digits over custom fields over notes); a typeahead lists the newest first.
protocol ContactSearch: Sendable {
    /// A SELECT of `columns` from `contacts c` matching `terms` and `conditions` (on `c`, with their
    /// `values`), best first, a page of `limit` rows from `offset`; with all its bound values.
    func select(_ columns: String, _ terms: ContactSearchTerms, where conditions: [String], _ values: [any SQLBindable],
                limit: Int, offset: Int) -> (sql: String, values: [any SQLBindable])
}

/// What a contact search looks for.
enum ContactSearchTerms: Sendable {
    /// Full-text `q`: contacts with every word, anywhere; `text` as typed, for the exact-name rule.
    case words([String], text: String)
    /// Typeahead `prefix`: names, emails or phone digits with every word, the last one as a word's start.
    case prefix([String])

    var words: [String] {
        switch self {
        case .words(let words, _), .prefix(let words): words
        }
    }

    /// The exact name that ranks first: the text as typed, trimmed and lower-cased.
    var exactName: String? {
        guard case .words(_, let text) = self else { return nil }
        return text.trimmingPrefixAndSuffixSpaces().lowercased()
    }
}

extension SQLDialect {
    /// How this engine searches contacts.
    var contactSearch: any ContactSearch {
        switch self {
        case .sqlite: FTS5ContactSearch()
        case .postgres: TSVectorContactSearch()
        }
    }
}
