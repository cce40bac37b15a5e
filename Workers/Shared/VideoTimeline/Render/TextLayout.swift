/// Text as the lines drawtext draws one by one (it neither wraps nor aligns lines within a block): broken
/// at its newlines, and between words where a line would be wider than `maxWidth` — inside a word only when
/// the word alone is. Lines are `lineHeight` apart, baselines fixed whatever glyphs a line holds.
struct TextLayout {
    let lines: [String]
    let size: Double

    init(_ text: String, font: TextStyle.Font, size: Double, maxWidth: Double) {
        let metrics = FontMetrics(font: font)
        func fits(_ line: String) -> Bool { metrics.width(line[...], size: size) <= maxWidth }
        // Control characters other than tab would be drawn as missing-glyph boxes.
        let printable = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 || $0 == "\n" || $0 == "\t" }))
        var lines: [String] = []
        for paragraph in printable.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if fits(paragraph) {
                lines.append(paragraph)
                continue
            }
            var line = ""
            for word in paragraph.split(separator: " ").map(String.init) {
                let joined = line.isEmpty ? word : line + " " + word
                if fits(joined) {
                    line = joined
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = ""
                for character in word {
                    if !line.isEmpty, !fits(line + String(character)) {
                        lines.append(line)
                        line = ""
                    }
                    line.append(character)
                }
            }
            lines.append(line)
        }
        self.lines = lines
        self.size = size
    }

    var lineHeight: Double { size * 1.2 }
    var height: Double { lineHeight * Double(lines.count) }

    /// Line `index`'s baseline below the block's top: half the leading, then the fonts' ascent.
    func baseline(_ index: Int) -> Double {
        Double(index) * lineHeight + (lineHeight - (FontMetrics.ascent + FontMetrics.descent) * size) / 2 + FontMetrics.ascent * size
    }
}
