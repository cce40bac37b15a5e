/// What a search box's text looks for: its words (letters and digits, lower-cased, never search syntax),
/// every one required, the last matched as the start of a word — so results follow the typing.
struct SearchTerms: Sendable, Equatable {
    let words: [String]

    init(_ text: String) {
        words = ContactQuery.words(text)
    }

    init(words: [String]) {
        self.words = words
    }

    var isEmpty: Bool { words.isEmpty }

    /// FTS5: each word quoted, the last one a prefix (`"trail" "run"*`).
    var fts5: String {
        (words.dropLast().map { "\"\($0)\"" } + words.suffix(1).map { "\"\($0)\"*" }).joined(separator: " ")
    }

    /// PostgreSQL tsquery text: each word a quoted lexeme, the last one `:*` (`'trail' & 'run':*`).
    var tsquery: String {
        (words.dropLast().map { "'\($0)'" } + words.suffix(1).map { "'\($0)':*" }).joined(separator: " & ")
    }
}
