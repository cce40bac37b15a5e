/// The text part of an email whose author wrote only HTML: what a reader of the HTML sees, as plain text.
/// Block elements end lines (paragraphs and headings with a blank line), `<br>` breaks one, list items
/// start with `- ` or their number, table cells are spaced, links read `text (url)`, images give their
/// `alt`; scripts, styles, the head and comments are dropped, entities decoded, runs of blanks folded
/// (but inside `<pre>`).
enum HTMLText {
    static func plain(_ html: String) -> String {
        var reader = Reader(Array(html.utf8))
        var writer = Writer()
        reader.run(into: &writer)
        return writer.result
    }

    /// Elements whose content is not text a reader sees.
    private static let hidden: Set<String> = ["script", "style", "head", "title", "template", "noscript", "svg"]
    /// Elements that end a paragraph: a blank line around them.
    private static let paragraphs: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "dl", "hr"]
    /// Elements that end a line.
    private static let lines: Set<String> = ["div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "nav", "main",
                                              "aside", "address", "figure", "figcaption", "form", "fieldset", "center", "body", "html"]

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        /// Open lists, innermost last: nil for `ul`, the next number for `ol`.
        var lists: [Int?] = []
        /// Open links: the href and where the link's text starts in the output.
        var links: [(href: String?, start: Int)] = []
        var preformatted = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func run(into writer: inout Writer) {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x3C {
                    if let tag = readTag() {
                        handle(tag, &writer)
                    } else {
                        // A `<` that starts no tag (`a < b`) is text.
                        writer.text(CollectionOfOne(byte), preformatted: preformatted > 0)
                        index += 1
                    }
                } else if byte == 0x26 {
                    writer.text(decodeEntity(), preformatted: preformatted > 0)
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != 0x3C, bytes[index] != 0x26 { index += 1 }
                    writer.text(bytes[start..<index], preformatted: preformatted > 0)
                }
            }
        }

        struct Tag {
            var name: String
            var closing: Bool
            var attributes: [String: String]
        }

        /// Reads the tag at `index` (a `<`), or skips a comment or declaration; nil (and `index` unmoved)
        /// when the `<` starts no tag.
        mutating func readTag() -> Tag? {
            if matches("<!--", at: index) {
                index = find("-->", from: index + 4).map { $0 + 3 } ?? bytes.count
                return Tag(name: "!", closing: false, attributes: [:])
            }
            var cursor = index + 1
            if cursor < bytes.count, bytes[cursor] == 0x21 || bytes[cursor] == 0x3F {
                index = find(">", from: cursor).map { $0 + 1 } ?? bytes.count
                return Tag(name: "!", closing: false, attributes: [:])
            }
            let closing = cursor < bytes.count && bytes[cursor] == 0x2F
            if closing { cursor += 1 }
            let nameStart = cursor
            while cursor < bytes.count, Self.isNameByte(bytes[cursor]) { cursor += 1 }
            guard cursor > nameStart, Self.isLetter(bytes[nameStart]) else { return nil }
            var tag = Tag(name: String(decoding: bytes[nameStart..<cursor], as: UTF8.self).lowercased(), closing: closing, attributes: [:])
            // Attributes: name, then optionally `=` and a quoted or bare value, up to the `>`.
            while cursor < bytes.count, bytes[cursor] != 0x3E {
                if HTMLText.isBlank(bytes[cursor]) || bytes[cursor] == 0x2F {
                    cursor += 1
                    continue
                }
                let attributeStart = cursor
                while cursor < bytes.count, !HTMLText.isBlank(bytes[cursor]), bytes[cursor] != 0x3D, bytes[cursor] != 0x3E, bytes[cursor] != 0x2F { cursor += 1 }
                let name = String(decoding: bytes[attributeStart..<cursor], as: UTF8.self).lowercased()
                while cursor < bytes.count, HTMLText.isBlank(bytes[cursor]) { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == 0x3D else {
                    if cursor == attributeStart { cursor += 1 }
                    continue
                }
                cursor += 1
                while cursor < bytes.count, HTMLText.isBlank(bytes[cursor]) { cursor += 1 }
                var valueStart = cursor
                var valueEnd = cursor
                if cursor < bytes.count, bytes[cursor] == 0x22 || bytes[cursor] == 0x27 {
                    let quote = bytes[cursor]
                    valueStart = cursor + 1
                    valueEnd = valueStart
                    while valueEnd < bytes.count, bytes[valueEnd] != quote { valueEnd += 1 }
                    cursor = min(valueEnd + 1, bytes.count)
                } else {
                    while valueEnd < bytes.count, !HTMLText.isBlank(bytes[valueEnd]), bytes[valueEnd] != 0x3E { valueEnd += 1 }
                    cursor = valueEnd
                }
                tag.attributes[name] = Self.decoded(bytes[valueStart..<valueEnd])
            }
            index = min(cursor + 1, bytes.count)
            return tag
        }

        mutating func handle(_ tag: Tag, _ writer: inout Writer) {
            let name = tag.name
            if HTMLText.hidden.contains(name), !tag.closing {
                // Skip to the matching end tag: the content is not text.
                var cursor = index
                while let open = find("</", from: cursor) {
                    let end = open + 2 + name.utf8.count
                    if end <= bytes.count, String(decoding: bytes[(open + 2)..<end], as: UTF8.self).lowercased() == name,
                       end == bytes.count || !Self.isNameByte(bytes[end]) {
                        index = find(">", from: end).map { $0 + 1 } ?? bytes.count
                        return
                    }
                    cursor = open + 2
                }
                index = bytes.count
                return
            }
            switch name {
            case "br":
                writer.newline()
            case "hr":
                writer.block(blankLine: true)
                if !tag.closing { writer.text("---".utf8, preformatted: true) }
                writer.block(blankLine: true)
            case "pre":
                preformatted = max(0, preformatted + (tag.closing ? -1 : 1))
                writer.block(blankLine: true)
            case "ul", "ol":
                if tag.closing {
                    if !lists.isEmpty { lists.removeLast() }
                } else {
                    lists.append(name == "ol" ? Int(tag.attributes["start"] ?? "") ?? 1 : nil)
                }
                writer.block(blankLine: lists.isEmpty)
            case "li":
                writer.block(blankLine: false)
                guard !tag.closing else { break }
                let depth = max(lists.count, 1)
                var marker = String(repeating: "  ", count: depth - 1)
                if let number = lists.last ?? nil {
                    marker += "\(number). "
                    lists[lists.count - 1] = number + 1
                } else {
                    marker += "- "
                }
                writer.text(marker.utf8, preformatted: true)
            case "td", "th":
                if !tag.closing { writer.separate() }
            case "a":
                if tag.closing {
                    guard let link = links.popLast() else { break }
                    writer.link(link.href, textStart: link.start)
                } else {
                    links.append((tag.attributes["href"], writer.count))
                }
            case "img":
                if let alt = tag.attributes["alt"], !alt.isEmpty { writer.text(alt.utf8, preformatted: false) }
            default:
                if HTMLText.paragraphs.contains(name) {
                    writer.block(blankLine: true)
                } else if HTMLText.lines.contains(name) {
                    writer.block(blankLine: false)
                }
            }
        }

        /// The entity at `index` (an `&`) decoded, or the `&` itself when it starts none.
        mutating func decodeEntity() -> ArraySlice<UInt8> {
            guard let end = find(";", from: index + 1), end - index <= 32 else {
                index += 1
                return [0x26]
            }
            let entity = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            guard let decoded = HTMLText.entity(entity) else {
                index += 1
                return [0x26]
            }
            index = end + 1
            return Array(decoded.utf8)[...]
        }

        func matches(_ text: String, at position: Int) -> Bool {
            let pattern = Array(text.utf8)
            guard position + pattern.count <= bytes.count else { return false }
            for (offset, byte) in pattern.enumerated() where Self.lower(bytes[position + offset]) != byte { return false }
            return true
        }

        func find(_ text: String, from position: Int) -> Int? {
            guard let first = text.utf8.first else { return nil }
            var cursor = position
            while cursor < bytes.count {
                if Self.lower(bytes[cursor]) == first, matches(text, at: cursor) { return cursor }
                cursor += 1
            }
            return nil
        }

        static func decoded(_ bytes: ArraySlice<UInt8>) -> String {
            guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) }
            var reader = Reader(Array(bytes))
            var out: [UInt8] = []
            while reader.index < reader.bytes.count {
                if reader.bytes[reader.index] == 0x26 {
                    out += reader.decodeEntity()
                } else {
                    out.append(reader.bytes[reader.index])
                    reader.index += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        static func isNameByte(_ byte: UInt8) -> Bool { isLetter(byte) || (0x30...0x39).contains(byte) || byte == 0x2D }
        static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
    }

    /// The text so far, with blanks folded and line breaks merged.
    private struct Writer {
        private var out: [UInt8] = []
        private var pendingBlank = false
        /// Line breaks asked for since the last text: 1 ends the line, 2 leaves a blank line.
        private var pendingBreaks = 0

        var count: Int { out.count }

        mutating func text<Bytes: Sequence<UInt8>>(_ bytes: Bytes, preformatted: Bool) {
            for byte in bytes {
                if preformatted {
                    if byte == 0x0A { out.append(0x0A); pendingBreaks = 0; pendingBlank = false; continue }
                    if byte == 0x0D { continue }
                } else if HTMLText.isBlank(byte) {
                    pendingBlank = true
                    continue
                }
                flush()
                out.append(byte)
            }
        }

        private mutating func flush() {
            if pendingBreaks > 0, !out.isEmpty {
                while out.last == 0x20 { out.removeLast() }
                let present = out.reversed().prefix { $0 == 0x0A }.count
                for _ in present..<max(present, pendingBreaks) { out.append(0x0A) }
            } else if pendingBlank, let last = out.last, last != 0x0A, last != 0x20 {
                out.append(0x20)
            }
            pendingBreaks = 0
            pendingBlank = false
        }

        /// `<br>`: a line break that counts even twice in a row.
        mutating func newline() {
            while out.last == 0x20 { out.removeLast() }
            if pendingBreaks > 0 { flush() }
            out.append(0x0A)
            pendingBlank = false
        }

        mutating func block(blankLine: Bool) {
            pendingBreaks = max(pendingBreaks, blankLine ? 2 : 1)
            pendingBlank = false
        }

        /// Between table cells.
        mutating func separate() {
            if let last = out.last, last != 0x0A, pendingBreaks == 0 { pendingBlank = true }
        }

        /// Closes a link whose text began at `textStart`: `text (url)`, or the url alone when it is the
        /// text or there is none; page anchors and scripts add nothing.
        mutating func link(_ href: String?, textStart: Int) {
            guard let href, !href.isEmpty, !href.hasPrefix("#"), !href.lowercased().hasPrefix("javascript:") else { return }
            let start = min(textStart, out.count)
            let label = String(decoding: out[start...], as: UTF8.self).trimmingBlanks
            let target = href.hasPrefix("mailto:") ? String(href.dropFirst(7)) : href
            if label.isEmpty {
                text(target.utf8, preformatted: false)
            } else if label != target, label != href {
                pendingBlank = true
                text("(\(target))".utf8, preformatted: false)
            }
        }

        var result: String {
            var end = out.count
            while end > 0, HTMLText.isBlank(out[end - 1]) { end -= 1 }
            var start = 0
            while start < end, HTMLText.isBlank(out[start]) { start += 1 }
            return String(decoding: out[start..<end], as: UTF8.self)
        }
    }

    /// A named or numeric character reference's text (`amp`, `#39`, `#x27`); nil for one we do not know.
    static func entity(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let hex = name.dropFirst().first.map { $0 == "x" || $0 == "X" } ?? false
            let digits = name.dropFirst(hex ? 2 : 1)
            guard let value = UInt32(digits, radix: hex ? 16 : 10), value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return String(Character(scalar))
        }
        return namedEntities[name]
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®", "trade": "™",
        "mdash": "—", "ndash": "–", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«",
        "raquo": "»", "bull": "•", "middot": "·", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "deg": "°", "times": "×",
        "divide": "÷", "zwnj": "", "zwj": "", "shy": "", "ensp": " ", "emsp": " ", "thinsp": " ", "sect": "§", "para": "¶",
    ]
}

private extension String {
    var trimmingBlanks: String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, HTMLText.isBlank(bytes[start]) { start += 1 }
        while end > start, HTMLText.isBlank(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

private extension HTMLText {
    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
}
