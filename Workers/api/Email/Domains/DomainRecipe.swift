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
            Self.dmarc(for: domain),
        ]
        if let bounceMX {
            records.append(DomainRecord(kind: .mx, type: "MX", name: envelope, value: bounceMX, priority: 10, required: false))
        }
        return records
    }
}

extension DomainRecipe {
    /// Our DMARC advice: a policy that only reports, to start with.
    static func dmarc(for domain: String) -> DomainRecord {
        DomainRecord(kind: .dmarc, type: "TXT", name: "_dmarc." + domain, value: "v=DMARC1; p=none; rua=mailto:dmarc@\(domain)", required: false)
    }

    /// The records Resend answered for `domain`, as we publish and check them: the return path's SPF TXT
    /// and MX and the DKIM TXT (or the DKIM CNAMEs Resend answers for some accounts), all required since
    /// Resend's verification waits on them; then our DMARC advice. Resend's names are relative to the
    /// domain; TXT values may come quoted. Records for other purposes (a tracking CNAME) are not ours.
    static func resend(_ records: [ResendDomainsClient.Record], domain: String) -> [DomainRecord] {
        var published: [DomainRecord] = []
        for record in records {
            let name = fullName(record.name, in: domain)
            switch (record.purpose.uppercased(), record.type) {
            case ("SPF", "TXT"):
                published.append(DomainRecord(kind: .spf, type: "TXT", name: name, value: unquoted(record.value), required: true))
            case ("SPF", "MX"):
                published.append(DomainRecord(kind: .mx, type: "MX", name: name, value: record.value, priority: record.priority ?? 10, required: true))
            case ("DKIM", "TXT"):
                published.append(DomainRecord(kind: .dkim, type: "TXT", name: name, value: unquoted(record.value), required: true))
            case ("DKIM", "CNAME"):
                published.append(DomainRecord(kind: .dkim, type: "CNAME", name: name, value: record.value, required: true))
            default:
                continue
            }
        }
        return published + [dmarc(for: domain)]
    }

    /// `send` -> `send.example.com`; a full name (or `@`) as it is.
    static func fullName(_ name: String, in domain: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty || name == "@" || name == domain { return domain }
        return name.hasSuffix("." + domain) ? name : name + "." + domain
    }

    private static func unquoted(_ value: String) -> String {
        value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
    }
}
