/// Timed words (a transcription's) grouped into caption segments a viewer can read as they are spoken.
///
/// A segment ends at a word ending a sentence or clause (`.`, `?`, `!`, `…`, `;`, `:`), before a pause
/// longer than `maxPause`, and before a word that would take its text past `maxCharacters` (the usual
/// limit of a caption line) or its span past `maxDuration`. Commas do not end one: lines split at every
/// comma read choppily.
public struct CaptionLines: Sendable, Equatable {
    public var maxPause: Double
    public var maxCharacters: Int
    public var maxDuration: Double

    /// Words shorter than this (a recogniser's rounding) are lengthened to it: a caption word must end
    /// after it starts.
    static let shortestWord = 0.01

    public init(maxPause: Double = 0.7, maxCharacters: Int = 42, maxDuration: Double = 7) {
        self.maxPause = maxPause
        self.maxCharacters = maxCharacters
        self.maxDuration = maxDuration
    }

    /// The segments of `words` (in the order spoken), each with its words; words with no text are left out.
    /// A segment never starts before the one before it ends, even when the recogniser's words overlap.
    public func segments(_ words: [Captions.Word]) -> [Captions.Segment] {
        var segments: [Captions.Segment] = []
        var current: [Captions.Word] = []
        var length = 0

        func close() {
            guard let first = current.first, let last = current.last else { return }
            let start = max(first.start, segments.last?.end ?? 0)
            let end = max(current.map(\.end).max() ?? last.end, start + Self.shortestWord)
            segments.append(Captions.Segment(start: start, end: end, text: current.map(\.text).joined(separator: " "), words: current))
            current = []
            length = 0
        }

        for word in words {
            let text = String(word.text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !text.isEmpty else { continue }
            let word = Captions.Word(start: word.start, end: max(word.end, word.start + Self.shortestWord), text: text)
            if let first = current.first, let last = current.last,
               word.start - last.end > maxPause || length + 1 + text.count > maxCharacters || word.end - first.start > maxDuration {
                close()
            }
            length += (current.isEmpty ? 0 : 1) + text.count
            current.append(word)
            if Self.endsClause(text) { close() }
        }
        close()
        return segments
    }

    /// Whether a word ends a sentence or clause, looking past closing quotes and brackets (`"Stop!"`).
    static func endsClause(_ text: String) -> Bool {
        guard let mark = text.last(where: { !"\"'”’)]»".contains($0) }) else { return false }
        return ".?!…;:".contains(mark)
    }
}
