import OzziRuntime

/// Full-text search of each type, which each engine indexes its own way (FTS5 with BM25 on SQLite, a
/// tsvector under GIN with ts_rank on PostgreSQL). Every statement selects `SearchRow`'s columns, best
/// first; snippets mark matches between U+0001 and U+0002 (`Snippet` turns them into `<mark>` after
/// escaping the text), and are made only for the rows of a page, not for every match.
protocol SearchEngine: Sendable {
    /// Messages among `channels` (ids), best first.
    func messages(_ database: any SQLDatabase, _ terms: SearchTerms, channels: [String], limit: Int) async throws -> [SearchRow]
    /// Channels among `channels` by name and topic.
    func channels(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable])
    /// Communities among `communities` by name and description.
    func communities(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable])
    /// Files posted in `channels`, by name and description.
    func files(_ terms: SearchTerms, channels: [String], limit: Int) -> (sql: String, values: [any SQLBindable])
    /// People by name who are members of any of `communities`.
    func members(_ terms: SearchTerms, communities: [String], limit: Int) -> (sql: String, values: [any SQLBindable])
}

extension SQLDialect {
    var search: any SearchEngine {
        switch self {
        case .sqlite: FTS5Search()
        case .postgres: TSVectorSearch()
        }
    }
}
