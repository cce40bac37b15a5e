import OzziRuntime

/// A sender or recipient given to the API (`from`, `reply_to`): read as `MailAddress` reads it, then the
/// address normalized (`EmailAddress`) and the name checked.
extension MailAddress {
    /// `from` and `reply_to` as the document states them: an address (one `@`, a domain with a dot inside
    /// it, no blank or angle bracket), alone or after a display name of at most 200 characters without
    /// control characters or angle brackets. Everything it matches, `input` takes.
    static let schema = Schema.string(min: 3, max: 320, pattern: Pattern(pattern, mismatch: "is not an email address or `Name <address>`"))
        .example("Acme <hello@acme.example>")

    static let pattern: String = {
        let blank = EmailAddress.blank
        // No character RFC 5322 gives a meaning outside quotes (`a,b@x.example` would be two addresses).
        let address = #"[^\#(blank)@<>"(),;:\\\[\]]+@[^\#(blank)@.<>"(),;:\\\[\]][^\#(blank)@<>"(),;:\\\[\]]*\.[^\#(blank)@<>"(),;:\\\[\]]*[^\#(blank)@.<>"(),;:\\\[\]]"#
        return #"^(?:[\#(blank)]*\#(address)[\#(blank)]*|[ \t]*[^\u0000-\u001F<>]{0,200}[ \t]*<[\#(blank)]*\#(address)[\#(blank)]*>[ \t]*)$"#
    }()

    static func input(_ text: String, field: String) throws -> MailAddress {
        let parsed = MailAddress(parsing: text)
        let address = try EmailAddress.normalize(parsed.address, field: field)
        guard !address.contains(where: { "<>\"(),;:\\[]".contains($0) }) else { throw APIError.invalidField(field, "is not an email address") }
        // A name with a line break or an angle bracket would forge header lines or a second address.
        if let name = parsed.name {
            // (By scalars: "\r\n" is one Character, equal to neither "\r" nor "\n".)
            guard !name.unicodeScalars.contains(where: { $0 == "<" || $0 == ">" || $0.value < 0x20 }), name.unicodeScalars.count <= 200 else {
                throw APIError.invalidField(field, "has a display name with line breaks or angle brackets")
            }
        }
        return MailAddress(name: parsed.name, address: address)
    }

    var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// `Name <address>` (the name quoted when it holds a quote or a backslash), or the address alone:
    /// what providers take and `MailAddress(parsing:)` reads back.
    var formatted: String {
        guard let name else { return address }
        // Quoted when it holds a character RFC 5322 gives a meaning (`Acme, Inc.` would read as two addresses).
        guard name.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) else { return "\(name) <\(address)>" }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\" <\(address)>"
    }
}
