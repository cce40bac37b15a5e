import OzziRuntime

/// An `OutgoingEmail` as an RFC 5322 message: the bytes an SMTP server receives (DKIM-signed first) and
/// the simulated provider keeps as `.eml`. CRLF line ends, headers folded, bodies quoted-printable UTF-8,
/// `multipart/alternative` (text, then HTML) when there is HTML, else `text/plain` alone; no line passes
/// 998 octets.
struct MIMEMessage: Sendable {
    /// The whole message.
    let bytes: [UInt8]
    /// `<messageID@domain>`: the same for every attempt at one message, so receivers can drop a repeat.
    let messageIDHeader: String

    /// Header names the builder writes itself: an extra header of one of these names is left out.
    static let ownHeaders: Set<String> = [
        "date", "message-id", "from", "to", "reply-to", "subject", "mime-version", "content-type",
        "content-transfer-encoding", "x-ozzi-message-id",
    ]

    /// - Parameters:
    ///   - messageIDDomain: the domain part of `Message-ID` (the sending domain).
    ///   - date: milliseconds since 1970, from the injected clock.
    ///   - boundary: the multipart boundary; random unless a test fixes it.
    init(email: OutgoingEmail, messageIDDomain: String, date: Int64, boundary: String = MIMEMessage.randomBoundary()) {
        messageIDHeader = "<\(email.messageID)@\(messageIDDomain)>"
        var headers = MIMEHeaders(capacity: 1024 + email.text.utf8.count * 11 / 10 + (email.html?.utf8.count ?? 0) * 11 / 10)
        headers.raw("Date", MailDate.format(milliseconds: date))
        headers.address("From", MailAddress(parsing: email.from))
        headers.address("To", MailAddress(parsing: email.to))
        if let replyTo = email.replyTo { headers.address("Reply-To", MailAddress(parsing: replyTo)) }
        headers.text("Subject", email.subject)
        headers.raw("Message-ID", messageIDHeader)
        headers.raw("MIME-Version", "1.0")
        headers.raw("X-Ozzi-Message-Id", email.messageID)
        for header in email.headers where Self.isFieldName(header.name) && !Self.ownHeaders.contains(header.name.lowercased()) {
            headers.text(header.name, header.value)
        }
        var out: [UInt8]
        if let html = email.html {
            headers.raw("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
            headers.appendBlankLine()
            out = headers.bytes
            let delimiter = Array("--\(boundary)".utf8)
            for (subtype, body) in [("plain", email.text), ("html", html)] {
                out.append(contentsOf: delimiter)
                out.append(contentsOf: Self.partHeaders(subtype))
                QuotedPrintable.encode(body, into: &out)
                out.append(contentsOf: [0x0D, 0x0A])
            }
            out.append(contentsOf: delimiter)
            out.append(contentsOf: Array("--\r\n".utf8))
        } else {
            headers.raw("Content-Type", "text/plain; charset=utf-8")
            headers.raw("Content-Transfer-Encoding", "quoted-printable")
            headers.appendBlankLine()
            out = headers.bytes
            QuotedPrintable.encode(email.text, into: &out)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        bytes = out
    }

    /// `=_` cannot occur in quoted-printable text (an `=` there is followed by hex or a line end), so no
    /// body line can look like the boundary.
    static func randomBoundary() -> String {
        "=_ozzi_" + Crypto.hex(Crypto.randomBytes(12))
    }

    private static func partHeaders(_ subtype: String) -> [UInt8] {
        Array("\r\nContent-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
    }

    /// RFC 5322 field names: printable ASCII but `:`.
    private static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }
    }
}
