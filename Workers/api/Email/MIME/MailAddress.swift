/// One mailbox as `OutgoingEmail` carries it (`Name <a@b>`, `"Doe, Jo" <a@b>` or a bare `a@b`): the
/// address for the SMTP envelope, and the display name for the header.
struct MailAddress: Sendable, Equatable {
    /// The display name, unquoted; nil when there is none.
    let name: String?
    /// The bare address (`a@b`), what `MAIL FROM` / `RCPT TO` take.
    let address: String

    init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// Reads `Name <address>` (the name may be a quoted string with `\` escapes) or a bare address.
    init(parsing text: String) {
        let trimmed = Self.trimmed(Substring(text))
        guard trimmed.last == ">", let open = trimmed.lastIndex(of: "<") else {
            self.init(name: nil, address: String(trimmed))
            return
        }
        let address = String(Self.trimmed(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]))
        var name = Self.trimmed(trimmed[..<open])
        if name.count >= 2, name.first == "\"", name.last == "\"" {
            var unquoted = ""
            var escaped = false
            for character in name.dropFirst().dropLast() {
                if !escaped, character == "\\" {
                    escaped = true
                    continue
                }
                escaped = false
                unquoted.append(character)
            }
            name = Substring(unquoted)
        }
        self.init(name: name.isEmpty ? nil : String(name), address: address)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}
