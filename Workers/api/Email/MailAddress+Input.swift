import OzziRuntime

/// A sender or recipient given to the API (`from`, `reply_to`): read as `MailAddress` reads it, then the
/// address normalized (`EmailAddress`) and the name checked.
extension MailAddress {
    static func input(_ text: String, field: String) throws -> MailAddress {
        let parsed = MailAddress(parsing: text)
        let address = try EmailAddress.normalize(parsed.address, field: field)
        // A name with a line break or an angle bracket would forge header lines or a second address.
        if let name = parsed.name {
            // (By scalars: "\r\n" is one Character, equal to neither "\r" nor "\n".)
            guard !name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0.value < 0x20 }), name.count <= 200 else {
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
        guard name.contains(where: { $0 == "\"" || $0 == "\\" }) else { return "\(name) <\(address)>" }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\" <\(address)>"
    }
}
