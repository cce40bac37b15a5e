/// Rewrites an email's HTML for tracking, in one pass over its bytes: the `href` of each `<a>` and `<area>`
/// whose URL is http(s) becomes what `link` makes of it, and an open pixel goes before the last `</body>`
/// (or at the end). Comments (Outlook's conditional ones included), `<script>` and `<style>` are copied
/// as they are; so are `mailto:`, `tel:` and `#anchor` links and any link `link` declines.
///
/// `link` receives the URL as a browser would follow it: entities decoded (`&amp;` is `&`), tabs and line
/// breaks removed, surrounding blanks trimmed. What it answers is written back HTML-escaped and quoted.
enum TrackingRewriter {
    static func rewrite(_ html: String, link: ((String) -> String?)?, pixel: String?) -> String {
        var out: [UInt8] = []
        var bytes = Array(html.utf8)
        if let link { bytes = rewriteLinks(bytes, link) }
        guard let pixel else { return String(decoding: bytes, as: UTF8.self) }
        let image = Array(#"<img src=""#.utf8) + escape(pixel) + Array(#"" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">"#.utf8)
        let at = lastIndex(of: Array("</body".utf8), in: bytes) ?? bytes.count
        out.reserveCapacity(bytes.count + image.count)
        out += bytes[..<at]
        out += image
        out += bytes[at...]
        return String(decoding: out, as: UTF8.self)
    }

    private static func rewriteLinks(_ bytes: [UInt8], _ link: (String) -> String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        var copied = 0
        var i = 0
        let n = bytes.count
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if starts(bytes, at: i, with: "<!--") {
                i = index(of: Array("-->".utf8), in: bytes, from: i + 4).map { $0 + 3 } ?? n
                continue
            }
            var j = i + 1
            while j < n, isNameByte(bytes[j]) { j += 1 }
            guard j > i + 1 else {
                i += 1
                continue
            }
            let name = bytes[(i + 1)..<j]
            if let end = rawTextEnds.first(where: { equal(name, $0.dropFirst(2)) }) {
                // Raw text up to its end tag: nothing in it is a tag.
                i = index(ofLowercased: end, in: bytes, from: j) ?? n
                continue
            }
            let tag = attributes(bytes, from: j)
            if equal(name, Self.a) || equal(name, Self.area), let href = tag.href, let url = url(bytes[href.value]),
               let replacement = link(url) {
                out += bytes[copied..<href.value.lowerBound - (href.quoted ? 1 : 0)]
                out.append(UInt8(ascii: "\""))
                out += escape(replacement)
                out.append(UInt8(ascii: "\""))
                copied = href.value.upperBound + (href.quoted ? 1 : 0)
            }
            i = tag.end
        }
        out += bytes[copied...]
        return out
    }

    /// A tag's attributes from just after its name: where the first `href` value lies (without its
    /// quotes), and where the tag ends (after its `>`, or at the end of the text).
    private static func attributes(_ bytes: [UInt8], from start: Int) -> (href: (value: Range<Int>, quoted: Bool)?, end: Int) {
        var href: (value: Range<Int>, quoted: Bool)?
        var i = start
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: ">") { return (href, i + 1) }
            if isSpace(byte) || byte == UInt8(ascii: "/") {
                i += 1
                continue
            }
            let nameStart = i
            while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { i += 1 }
            let isHref = equal(bytes[nameStart..<i], Self.href)
            var k = i
            while k < n, isSpace(bytes[k]) { k += 1 }
            guard k < n, bytes[k] == UInt8(ascii: "=") else { continue }
            k += 1
            while k < n, isSpace(bytes[k]) { k += 1 }
            guard k < n else { return (nil, n) }
            let value: Range<Int>
            let quoted: Bool
            if bytes[k] == UInt8(ascii: "\"") || bytes[k] == UInt8(ascii: "'") {
                let quote = bytes[k]
                var end = k + 1
                while end < n, bytes[end] != quote { end += 1 }
                value = (k + 1)..<end
                quoted = true
                i = min(end + 1, n)
            } else {
                var end = k
                while end < n, !isSpace(bytes[end]), bytes[end] != UInt8(ascii: ">") { end += 1 }
                value = k..<end
                quoted = false
                i = end
            }
            // A repeated attribute is ignored by browsers: the first one is the link.
            if isHref, href == nil { href = (value, quoted) }
        }
        // A tag cut off by the end of the text is not a tag: nothing of it is rewritten.
        return (nil, n)
    }

    /// The http(s) URL an attribute value leads to, or nil for any other kind of link.
    static func url(_ value: ArraySlice<UInt8>) -> String? {
        let decoded = decodeEntities(value).filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        guard let first = decoded.firstIndex(where: { $0 > 0x20 }), let last = decoded.lastIndex(where: { $0 > 0x20 }) else { return nil }
        let url = decoded[first...last]
        let scheme = lowercased(url.prefix(8))
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else { return nil }
        return String(decoding: url, as: UTF8.self)
    }

    /// Character references in an attribute value: numeric ones and the five of XML; any other `&` stays.
    static func decodeEntities(_ value: ArraySlice<UInt8>) -> [UInt8] {
        guard value.contains(UInt8(ascii: "&")) else { return Array(value) }
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = value.startIndex
        while i < value.endIndex {
            guard value[i] == UInt8(ascii: "&"), let semicolon = value[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(value[i])
                i += 1
                continue
            }
            let name = String(decoding: value[(i + 1)..<semicolon], as: UTF8.self)
            let scalar: Unicode.Scalar?
            switch name.lowercased() {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
            }
            guard let scalar else {
                out.append(value[i])
                i += 1
                continue
            }
            out += Array(String(Character(scalar)).utf8)
            i = semicolon + 1
        }
        return out
    }

    private static let a = Array("a".utf8), area = Array("area".utf8), href = Array("href".utf8)
    private static let rawTextEnds = [Array("</script".utf8), Array("</style".utf8)]

    /// Whether `bytes` spell the lower-case `name`, in any case.
    private static func equal<Bytes: Collection<UInt8>>(_ bytes: ArraySlice<UInt8>, _ name: Bytes) -> Bool {
        bytes.count == name.count && zip(bytes, name).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0) == $1 }
    }

    /// Text for a double-quoted attribute value.
    private static func escape(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            default: out.append(byte)
            }
        }
        return out
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func lowercased<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    private static func starts(_ bytes: [UInt8], at i: Int, with prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return i + p.count <= bytes.count && bytes[i..<(i + p.count)].elementsEqual(p)
    }

    private static func index(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The first case-insensitive match of a lower-case `needle`.
    private static func index(ofLowercased needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], equal(bytes[i..<(i + needle.count)], needle) { return i }
            i += 1
        }
        return nil
    }

    /// The last case-insensitive match of a lower-case `needle`.
    private static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        var i = bytes.count - needle.count
        while i >= 0 {
            if bytes[i] == needle[0], equal(bytes[i..<(i + needle.count)], needle) { return i }
            i -= 1
        }
        return nil
    }
}
