/// The records to publish for a domain whose DKIM key we hold (the simulated provider and SMTP relays).
///
/// The simulated provider stands in for Resend and asks for Resend's shape (protocols.md): SPF and an
/// MX for bounces on the `send.` subdomain, which is the envelope sender's domain. Over SMTP the envelope
/// sender is the From address, so SPF is checked at the domain itself and bounces go to its own MX.
struct DomainRecipe: Sendable {
    let provider: String
    /// The provider's SPF include (`amazonses.com`; for SMTP, the relay's).
    let spfInclude: String
    /// Where bounces come back, for providers that take them on `send.` (nil for SMTP).
    let bounceMX: String?

    func records(for domain: String, selector: String, publicKey: String) -> [DomainRecord] {
        let envelope = bounceMX == nil ? domain : "send." + domain
        var records = [
            DomainRecord(kind: .spf, type: "TXT", name: envelope, value: "v=spf1 include:\(spfInclude) ~all", required: true),
            DomainRecord(kind: .dkim, type: "TXT", name: "\(selector)._domainkey.\(domain)", value: "v=DKIM1; k=rsa; p=\(publicKey)", required: true),
            DomainRecord(kind: .dmarc, type: "TXT", name: "_dmarc." + domain, value: "v=DMARC1; p=none; rua=mailto:dmarc@\(domain)", required: false),
        ]
        if let bounceMX {
            records.append(DomainRecord(kind: .mx, type: "MX", name: envelope, value: bounceMX, priority: 10, required: false))
        }
        return records
    }
}
