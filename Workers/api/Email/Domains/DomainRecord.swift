/// One DNS record a sending domain must (or should) publish, with what the last check found.
struct DomainRecord: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable, CaseIterable {
        /// A TXT `v=spf1 ... include:<provider> ...`: the provider may send for the domain.
        case spf
        /// A TXT `v=DKIM1; k=rsa; p=<public key>` at `<selector>._domainkey.<domain>`: signatures verify.
        case dkim
        /// A TXT `v=DMARC1; p=...` at `_dmarc.<domain>` (advised).
        case dmarc
        /// An MX on the bounce subdomain (advised): where bounces and complaints come back.
        case mx
    }

    enum Status: String, Codable, Sendable, CaseIterable {
        /// Not checked yet.
        case pending
        case verified
        /// No such record (the name does not exist, or holds no record of that kind).
        case missing
        /// A record is there but is not the one asked for: `found` holds what is.
        case wrong
    }

    let kind: Kind
    /// `TXT`, `MX`, or `CNAME` (a DKIM key Resend keeps, by alias).
    let type: String
    /// Where to publish it: a full name.
    let name: String
    let value: String
    /// MX only.
    let priority: Int?
    /// Whether the domain's verification waits on it (SPF and DKIM; for Resend its return path's MX too);
    /// DMARC, and MX elsewhere, are advice.
    let required: Bool
    var status: Status = .pending
    /// The values the last check found at `name` (TXT values joined, MX as `priority host`).
    var found: [String] = []
    /// Why the last check could not tell (the name server failed or did not answer); the status is
    /// then the one before it.
    var error: String?
    var checked_at: String?
    /// What the provider (Resend) last said of this record: `not_started`, `pending`, `verified`, `failed`...
    var provider_status: String?

    init(kind: Kind, type: String, name: String, value: String, priority: Int? = nil, required: Bool) {
        self.kind = kind
        self.type = type
        self.name = name
        self.value = value
        self.priority = priority
        self.required = required
    }
}
