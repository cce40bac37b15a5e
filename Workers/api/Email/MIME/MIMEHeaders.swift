import OzziRuntime

/// Writes header fields: values cleaned of line breaks (a subject cannot add a header), non-ASCII text as
/// RFC 2047 encoded-words, display names quoted where RFC 5322 needs it, lines folded at blanks to 78
/// octets where a blank allows (encoded-words always do), never over 998.
struct MIMEHeaders {
    private(set) var bytes: [UInt8] = []
    private static let foldAt = 78
    /// UTF-8 octets per encoded-word: 42 encode to 56 base64 characters, so `Subject: ` and one word fit
    /// in 78, and the word in RFC 2047's 75.
    private static let wordOctets = 42

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// A header of unstructured text (`Subject`, and the extra headers).
    mutating func text(_ name: String, _ value: String) {
        let value = Self.clean(value)
        if Self.needsEncoding(value) {
            field(name, Self.encodedWords(value))
        } else {
            field(name, words: value, keepEmpty: true)
        }
    }

    /// An address header (`From`, `To`, `Reply-To`).
    mutating func address(_ name: String, _ mailbox: MailAddress) {
        let address = "<" + Self.clean(mailbox.address).filter { $0 != " " && $0 != "<" && $0 != ">" } + ">"
        guard let display = mailbox.name.map(Self.clean), !display.isEmpty else {
            field(name, [String(address.dropFirst().dropLast())])
            return
        }
        if Self.needsEncoding(display) {
            field(name, Self.encodedWords(display) + [address])
        } else if display.utf8.allSatisfy(Self.isPhraseOctet) {
            field(name, display.split(separator: " ").map(String.init) + [address])
        } else {
            var quoted = "\""
            for character in display {
                if character == "\\" || character == "\"" { quoted.append("\\") }
                quoted.append(character)
            }
            field(name, [quoted + "\"", address])
        }
    }

    /// A header whose value is ours and plain ASCII (dates, ids, MIME parameters).
    mutating func raw(_ name: String, _ value: String) {
        field(name, words: value, keepEmpty: false)
    }

    mutating func appendBlankLine() {
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// `name:` then the tokens separated by single blanks, folding before a token that would pass 78.
    private mutating func field(_ name: String, _ tokens: [String]) {
        var column = start(name)
        for token in tokens { append(token.utf8, column: &column, nameWidth: name.utf8.count) }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// The same for the blank-separated words of `value`, read in place (the words of every header of
    /// every email, split into strings, were a tenth of a campaign email's CPU). `keepEmpty`: a run of
    /// blanks stays as many blanks.
    private mutating func field(_ name: String, words value: String, keepEmpty: Bool) {
        var column = start(name)
        var value = value
        value.withUTF8 { text in
            var from = 0
            for at in 0...text.count where at == text.count || text[at] == 0x20 {
                if at > from || keepEmpty { append(UnsafeBufferPointer(rebasing: text[from..<at]), column: &column, nameWidth: name.utf8.count) }
                from = at + 1
            }
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    private mutating func start(_ name: String) -> Int {
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3A)
        return name.utf8.count + 1
    }

    private mutating func append<Token: Collection<UInt8>>(_ token: Token, column: inout Int, nameWidth: Int) {
        let width = token.count
        // Never fold before an empty token: a folded line of blanks only is not allowed.
        if width > 0, column + 1 + width > Self.foldAt, column > nameWidth + 1 {
            bytes.append(0x0D)
            bytes.append(0x0A)
            column = 0
        }
        bytes.append(0x20)
        bytes.append(contentsOf: token)
        column += 1 + width
    }

    /// Encoded-words are needed for non-ASCII text, for text a decoder would take for an encoded-word, and
    /// for a run without blanks too long to fold otherwise.
    private static func needsEncoding(_ value: String) -> Bool {
        var run = 0
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if byte >= 0x80 || (previous == 0x3D && byte == 0x3F) { return true }
            run = byte == 0x20 || byte == 0x09 ? 0 : run + 1
            if run > 900 { return true }
            previous = byte
        }
        return false
    }

    /// `=?UTF-8?B?...?=` words of whole characters, each within 75 octets.
    private static func encodedWords(_ value: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in value.unicodeScalars {
            let octets = Array(String(scalar).utf8)
            if chunk.count + octets.count > wordOctets {
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: octets)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
        return words
    }

    /// Line breaks and other control characters (but tabs) become blanks: a value is one logical line.
    private static func clean(_ value: String) -> String {
        guard value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.map { scalar in
            (scalar.value < 0x20 && scalar.value != 0x09) || scalar.value == 0x7F ? " " : scalar
        }))
    }

    /// RFC 5322 `atext` and blanks: a display name of these needs no quotes.
    private static func isPhraseOctet(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x20: true
        default: "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }
}
