import OzziRuntime

/// Which From addresses a workspace may send from with its provider as it is now, in one place for the
/// routes (a 409 when an email, a campaign or the default sender is set) and for the delivery engine (a
/// failed email when it is due: its domain may have been deleted, failed its daily re-check, or the
/// workspace may have changed provider since it was queued).
struct SenderRule: Sendable {
    let store: SendingDomainStore
    /// The simulated provider's sandbox domain (`EMAIL_SANDBOX_DOMAIN`): a sender there needs no DNS.
    let sandboxDomain: String

    /// What `scope` may send from through `provider`: one query, for a whole delivery batch.
    func senders(_ scope: TenantScope, provider: String) async throws -> Senders {
        var domains: [String: String] = [:]
        for domain in try await store.verified(scope) { domains[domain.name] = domain.provider }
        return Senders(provider: provider, verified: domains, sandboxDomain: sandboxDomain)
    }

    /// Whether email through `provider` may come from a domain added while the workspace was on
    /// `domainProvider`: Resend sends only from domains it verified itself; a relay gets our DKIM
    /// signature, so only domains we hold a key for; the simulated provider (nothing leaves) any.
    static func serves(provider: String, domainProvider: String) -> Bool {
        switch provider {
        case "resend": domainProvider == "resend"
        case "smtp": domainProvider != "resend"
        default: true
        }
    }
}

/// A workspace's verified domains as one batch or one request sees them.
struct Senders: Sendable {
    let provider: String
    /// Verified domain name -> the provider it was added for.
    let verified: [String: String]
    let sandboxDomain: String

    /// Why `address` (`a@b` or `Name <a@b>`) may not be the From, or nil when it may.
    func refusal(_ address: String) -> (domain: String, reason: String)? {
        guard let domain = Self.domain(of: address) else { return (address, "\(address) is not an email address") }
        if provider == "simulated", domain == sandboxDomain { return nil }
        if let added = verified[domain] {
            if SenderRule.serves(provider: provider, domainProvider: added) { return nil }
            return (domain, "\(domain) was verified for the \(added) provider, not the workspace's \(provider): delete it and add it again at /api/v1/email/domains")
        }
        let sandbox = provider == "simulated" ? " (or send from the sandbox domain \(sandboxDomain))" : ""
        return (domain, "\(domain) is not a verified sending domain of the workspace: add it at /api/v1/email/domains, publish its records and verify it\(sandbox)")
    }

    /// The refusal as a route answers it: a 409 naming `field`, since the same body passes once the
    /// domain is verified.
    func require(_ address: String, field: String) throws(APIError) {
        guard let refusal = refusal(address) else { return }
        throw APIError.conflict(refusal.reason, details: ["field": .string(field), "domain": .string(refusal.domain)])
    }

    /// The refusal as a due email fails with it (its timeline's error).
    func sendFailure(_ address: String) -> APIError? {
        refusal(address).map { APIError(status: 422, code: "sender_not_allowed", message: "not sent from \($0.domain): \($0.reason)") }
    }

    /// The domain of `a@b` or `Name <a@b>`, lowercased, without a final dot.
    static func domain(of address: String) -> String? {
        let bare = MailAddress(parsing: address).address
        guard let at = bare.lastIndex(of: "@") else { return nil }
        var domain = bare[bare.index(after: at)...].lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        return domain.isEmpty ? nil : domain
    }
}
