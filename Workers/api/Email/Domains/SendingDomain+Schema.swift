import OzziRuntime

extension SendingDomain: APIModel {
    static let schemaName = "EmailDomain"
    static let schema = Schema.object([
        .required("id", Schema.string().example("edm_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("example.com")),
        .required("provider", Schema.oneOf(["simulated", "smtp", "resend"])
            .described("Whose records these are: the workspace's email provider when the domain was added. Resend sends only from domains added while on Resend; a relay only from domains we hold a DKIM key for")),
        .optional("provider_domain_id", Schema.string().example("4dd369bc-aa82-4ff3-97de-514ae3000ee0").described("Resend's id for the domain (provider resend)")),
        .required("status", Schema.oneOf(Status.allCases.map(\.rawValue))
            .described("verified when SPF and DKIM are (and, for Resend, Resend says so); failed when either was found missing or wrong; pending until a check could tell")),
        .required("records", Schema.array(.model(DomainRecord.self)).described("The DNS records to publish, each with what the last check found")),
        .optional("dkim_selector", Schema.string().example("ozzi").described("The DKIM selector, when this host signs the domain's email")),
        .optional("checked_at", Schema.timestamp.described("The last check that reached DNS")),
        .optional("verified_at", Schema.timestamp.described("When it last became verified")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)

    static let input = Schema.object([
        .required("name", Schema.string(min: 3, max: DomainName.maxLength, pattern: DomainName.pattern).example("example.com")
            .described("The domain to send from: two labels or more, internationalized names in their xn-- form")),
        .optional("spf_include", Schema.string(min: 1, max: 200).nullable.example("_spf.relay.example")
            .described("SMTP relays only: the relay's SPF include (default: the host's SMTP_SPF_INCLUDE); other providers publish their own")),
        .optional("region", Schema.oneOf(ResendDomainsClient.regions).nullable
            .described("Resend only: where Resend sends the domain's email from (default us-east-1); ignored by other providers")),
    ])
}

extension DomainRecord: APIModel {
    static let schemaName = "EmailDomainRecord"
    static let schema = Schema.object([
        .required("kind", Schema.oneOf(Kind.allCases.map(\.rawValue))),
        .required("type", Schema.oneOf(["TXT", "MX", "CNAME"]).described("CNAME: a DKIM key Resend keeps, published as an alias of its name")),
        .required("name", Schema.string().example("ozzi._domainkey.example.com").described("Where to publish it (the full name)")),
        .required("value", Schema.string().example("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...")),
        .optional("priority", Schema.integer(0...65535).described("MX only")),
        .required("required", Schema.boolean.described("SPF and DKIM (for Resend, its return path's MX too) must be verified for the domain to be; DMARC, and MX elsewhere, are advised")),
        .required("status", Schema.oneOf(Status.allCases.map(\.rawValue))
            .described("pending until checked; verified; missing (nothing of that kind at the name); wrong (see found)")),
        .required("found", Schema.array(.string()).described("What the last check found at the name: TXT values, MX as 'priority host', or the CNAME target")),
        .optional("error", Schema.string().described("Why the last check could not tell (the name server failed or did not answer); the status is the one before")),
        .optional("checked_at", Schema.timestamp),
        .optional("provider_status", Schema.string().example("verified").described("Resend domains: what Resend last said of the record")),
    ], closed: true)
}
