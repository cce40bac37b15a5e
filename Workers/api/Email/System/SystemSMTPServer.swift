import OzziRuntime

/// The system sender's mail server from one URL (`SYSTEM_SMTP_URL`): `smtp://user:password@host:587`
/// (STARTTLS) or `smtps://user:password@host:465` (TLS from the first byte); user and password
/// percent-encoded, both optional.
struct SystemSMTPServer: Equatable {
    let host: String
    let port: Int
    let security: SMTPSubmission.Security
    let username: String?
    let password: String?

    init(url: String) throws {
        let invalid = SystemEmailConfigError("SYSTEM_SMTP_URL must read smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465")
        let security: SMTPSubmission.Security
        let rest: Substring
        if url.hasPrefix("smtp://") {
            (security, rest) = (.startTLS, url.dropFirst(7))
        } else if url.hasPrefix("smtps://") {
            (security, rest) = (.implicitTLS, url.dropFirst(8))
        } else {
            throw invalid
        }
        let authority = rest.prefix { $0 != "/" }
        var server = authority
        var username: String?, password: String?
        if let at = authority.lastIndex(of: "@") {
            server = authority[authority.index(after: at)...]
            let credentials = authority[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            username = PercentDecoding.decode(credentials[0])
            password = credentials.count > 1 ? PercentDecoding.decode(credentials[1]) : nil
        }
        let parts = server.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let host = parts.first, !host.isEmpty else { throw invalid }
        let port = parts.count == 2 ? Int(parts[1]) : (security == .startTLS ? 587 : 465)
        guard let port, (1...65_535).contains(port) else { throw invalid }
        self.host = String(host)
        self.port = port
        self.security = security
        self.username = username.flatMap { $0.isEmpty ? nil : $0 }
        self.password = password
    }
}
