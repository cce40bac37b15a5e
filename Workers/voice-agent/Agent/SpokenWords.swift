/// Fixed text as a stream of speech: one token a word, each but the last with its space, so the tokens
/// joined are the text (as a model's pieces are).
enum SpokenWords {
    static func tokens(_ text: String) -> [String] {
        let words = text.split(separator: " ")
        return words.enumerated().map { $0.offset == words.count - 1 ? String($0.element) : $0.element + " " }
    }
}
