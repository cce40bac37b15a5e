import VideoTimeline

/// What `pocketsphinx_continuous -time yes` prints: per utterance, its hypothesis on a line, then a line per
/// segment, `word start end confidence` (seconds, 10 ms frames). Fillers (`<s>`, `</s>`, `<sil>`,
/// `[NOISE]`, `[SPEECH]`, `++BREATH++` in other models) are not words; `the(2)` is the dictionary's second
/// pronunciation of `the`.
enum PocketSphinxOutput {
    /// One frame: a segment's end is the start of its last frame, so the word lasts a frame longer.
    static let frame = 0.01

    static func words(_ output: String) -> [Captions.Word] {
        var words: [Captions.Word] = []
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 4, let start = Double(fields[1]), let end = Double(fields[2]), Double(fields[3]) != nil,
                  fields[1].contains("."), fields[2].contains(".") else { continue }
            var token = fields[0]
            guard let first = token.first, !"<[+".contains(first) else { continue }
            if token.hasSuffix(")"), let open = token.lastIndex(of: "("), token[token.index(after: open)..<token.index(before: token.endIndex)].allSatisfy(\.isNumber) {
                token = token[..<open]
            }
            guard !token.isEmpty else { continue }
            words.append(Captions.Word(start: start, end: max(end, start) + frame, text: String(token)))
        }
        return words
    }
}
