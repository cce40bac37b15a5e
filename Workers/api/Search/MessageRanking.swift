import Foundation

/// BM25 (Robertson and Zaragoza's Okapi weighting, k1 = 1.2, b = 0.75) of message texts for a search's
/// words, the last one a prefix — computed here over a window of candidates rather than by FTS5's bm25(),
/// which reads a word's whole list of documents for its IDF on every query: 10-20 ms for a word in half of
/// a million messages. The IDF comes from each word's document count as `FTS5Search` samples it.
///
/// Texts are read as UTF-8 bytes (2,000 candidates a search: splitting them into Swift Characters cost more
/// than the search); a word is a run of ASCII letters and digits or non-ASCII bytes, ASCII compared without
/// case — the query's words are lower-cased already.
struct MessageRanking: Sendable {
    let terms: SearchTerms
    /// Documents containing each word (the last: any word it starts).
    let documentCounts: [Int]
    let totalDocuments: Int
    static let k1 = 1.2, b = 0.75

    /// The candidates' indexes, best first (ties: the earlier in `texts`, the newer).
    func order(_ texts: [String]) -> [Int] {
        let needles = terms.words.map { Array($0.utf8) }
        let last = needles.count - 1
        var lengths = [Int](repeating: 0, count: texts.count)
        var frequencies = [[Int]](repeating: [Int](repeating: 0, count: needles.count), count: texts.count)
        for (index, text) in texts.enumerated() {
            var text = text  // withUTF8 makes the bytes contiguous (a bridged string may not be)
            text.withUTF8 { Self.count($0, needles, last: last, length: &lengths[index], into: &frequencies[index]) }
        }
        let averageLength = max(1, Double(lengths.reduce(0, +)) / Double(max(1, texts.count)))
        let idf = documentCounts.map { n in log((Double(totalDocuments) - Double(n) + 0.5) / (Double(n) + 0.5) + 1) }
        let scores = texts.indices.map { index -> Double in
            let length = Double(lengths[index])
            var score = 0.0
            for (term, tf) in frequencies[index].enumerated() where tf > 0 {
                let f = Double(tf)
                score += idf[term] * f * (Self.k1 + 1) / (f + Self.k1 * (1 - Self.b + Self.b * length / averageLength))
            }
            return score
        }
        return scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    /// Counts the words of `bytes` (`length`) and, per needle, the words equal to it (the last: starting with it).
    private static func count(_ bytes: UnsafeBufferPointer<UInt8>, _ needles: [[UInt8]], last: Int, length: inout Int, into frequencies: inout [Int]) {
        var start = -1
        for position in 0...bytes.count {
            let isWord = position < bytes.count && Self.isWordByte(bytes[position])
            if isWord {
                if start < 0 { start = position }
                continue
            }
            guard start >= 0 else { continue }
            length += 1
            let word = UnsafeBufferPointer(rebasing: bytes[start..<position])
            for (index, needle) in needles.enumerated() where Self.matches(word, needle, prefix: index == last) {
                frequencies[index] += 1
            }
            start = -1
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    private static func matches(_ word: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], prefix: Bool) -> Bool {
        guard prefix ? word.count >= needle.count : word.count == needle.count else { return false }
        for index in needle.indices {
            let byte = word[index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lowered != needle[index] { return false }
        }
        return true
    }
}
