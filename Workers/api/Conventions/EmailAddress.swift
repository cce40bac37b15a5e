import OzziRuntime

/// Email addresses as the api stores them: trimmed, lower-cased, checked for a plausible shape — one `@`
/// after a local part, a domain with a dot inside it, no blank in between. `schema` states the same rule
/// as a pattern, so the document and this check accept the same strings (both count Unicode scalars).
enum EmailAddress {
    static let maxLength = 320

    /// The rule as the document prints it and `APIOperation` checks it: blanks may surround the address. Not
    /// `format: email`, which validators read as RFC 5321 (no `*` in a domain, no `ü`): this rule is looser.
    static let schema = Schema(.string(StringRules(maxLength: maxLength, pattern: Pattern(pattern, mismatch: "is not an email address"))))
        .example("ada@example.com").described("An email address: trimmed and lower-cased; one @, and a domain with a dot inside it")

    /// What counts as blank, in a form ECMA-262, Python and Swift read alike: `\s` differs between them
    /// (U+0085, U+FEFF, U+001C-U+001F), so those are named; together it is exactly `isBlank`.
    static let blank = #"\s\u001C-\u001F\u0085\uFEFF"#
    static let pattern = #"^[\#(blank)]*[^\#(blank)@]+@[^\#(blank)@.][^\#(blank)@]*\.[^\#(blank)@]*[^\#(blank)@.][\#(blank)]*$"#

    static func normalize(_ text: String, field: String = "email") throws -> String {
        // Scalars, as the pattern reads them (a combining mark after `@` must not hide it), checked one by one
        // rather than by Foundation's substring search (a CFString round trip per call; an import pays 100,000).
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isBlank($0) }), let end = scalars.lastIndex(where: { !isBlank($0) }) else {
            throw APIError.invalidField(field, "is not an email address")
        }
        let address = scalars[start...end]
        guard address.count <= maxLength, let at = address.firstIndex(of: "@"), at != address.startIndex,
              !address.contains(where: isBlank) else {
            throw APIError.invalidField(field, "is not an email address")
        }
        let domain = address[address.index(after: at)...]
        guard !domain.contains("@"), domain.first != ".", domain.last != ".", domain.contains(".") else {
            throw APIError.invalidField(field, "is not an email address")
        }
        return String(String.UnicodeScalarView(address)).lowercased()
    }

    /// Unicode's White_Space, the information separators U+001C-U+001F and U+FEFF (a byte-order mark).
    /// (ASCII, nearly every scalar a form or an import gives, is answered without Unicode's property tables.)
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x09...0x0D).contains(value) || (0x1C...0x20).contains(value) }
        return scalar.properties.isWhitespace || value == 0xFEFF
    }
}
