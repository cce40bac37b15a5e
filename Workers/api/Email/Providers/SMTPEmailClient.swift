import OzziRuntime

/// A workspace's own mail server (a self-hosted relay) over SMTP submission: each email built as an RFC
/// 5322 message by us, DKIM-signed with its From domain's key when the workspace has one, and submitted
/// with STARTTLS (or implicit TLS) and AUTH. SMTP has no idempotency key: an email whose data was sent
/// without a reply may have been taken, and goes to review.
struct SMTPEmailClient: EmailProvider {
    let name = "smtp"
    let maxBatch = 1
    let host: String
    let port: Int
    let security: SMTPSubmission.Security
    let username: String?
    let password: String?
    /// The workspace's DKIM signers, one per sending domain: an email is signed by its From domain's.
    let signers: [DKIMSigner]
    let outbound: OutboundFetcher
    let clock: any WallClock
    let timeoutMilliseconds: Int
    /// Refuse private addresses (`SMTP_ALLOW_PRIVATE_HOSTS` turns it off for relays on the operator's network).
    let publicAddressesOnly: Bool
    /// Trusted CA certificates instead of the system's (`SMTP_CA_FILE`), for relays with a private CA.
    let caFile: String?

    func send(_ emails: [OutgoingEmail]) async -> [SendResult] {
        var results = [SendResult]()
        for email in emails { results.append(await send(email)) }
        return results
    }

    private func send(_ email: OutgoingEmail) async -> SendResult {
        let from = MailAddress(parsing: email.from).address
        let domain = Self.domain(of: from)
        let mime = MIMEMessage(email: email, messageIDDomain: domain, date: clock.milliseconds)
        var message = mime.bytes
        if let signer = signer(for: domain) {
            do {
                message = try signer.sign(message, time: clock.seconds)
            } catch {
                return .transient(code: "dkim_failed", message: "\(error)", retryAfterSeconds: nil)
            }
        }
        let submission = SMTPSubmission(host: host, port: port, security: security, username: username, password: password,
                                        heloName: domain, from: from, recipients: [MailAddress(parsing: email.to).address],
                                        message: message, caFile: caFile, timeoutMilliseconds: timeoutMilliseconds,
                                        publicAddressesOnly: publicAddressesOnly)
        switch await outbound.submit(submission) {
        case .accepted:
            // No callbacks come back over SMTP; bounces (DSNs) quote the Message-ID, which names the email.
            return .accepted(providerID: mime.messageIDHeader)
        case .rejected(let reply, _) where reply.code < 500:
            return .transient(code: "smtp_\(reply.code)", message: "the server answered \(reply)", retryAfterSeconds: nil)
        case .rejected(let reply, _):
            return .permanent(code: "smtp_\(reply.code)", message: "the server answered \(reply)")
        case .failed(let failure) where failure.messageSent:
            return .unknown(code: failure.kind.rawValue, message: failure.description)
        case .failed(let failure) where failure.kind == .tlsUnavailable || failure.kind == .refusedAddress:
            // The workspace's settings must change first: retrying cannot help.
            return .permanent(code: failure.kind.rawValue, message: failure.description)
        case .failed(let failure):
            return .transient(code: failure.kind.rawValue, message: failure.description, retryAfterSeconds: nil)
        }
    }

    /// The signer of `domain` or of the closest parent domain (a DKIM `d=` aligns with its subdomains).
    private func signer(for domain: String) -> DKIMSigner? {
        signers.filter { domain == $0.domain.lowercased() || domain.hasSuffix("." + $0.domain.lowercased()) }
            .max { $0.domain.count < $1.domain.count }
    }

    private static func domain(of address: String) -> String {
        address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]).lowercased() } ?? "localhost"
    }
}
