import OzziRuntime

/// Domains of workspaces on Resend: Resend keeps them in the workspace's account, answers the records to
/// publish, and verifies them too; we check the same records by DNS, so each shows what was found.
extension SendingDomains {
    /// The workspace's Resend account, when it has stored a key (whatever its provider is now: a domain
    /// added while on Resend stays Resend's).
    func resend(_ scope: TenantScope) async throws -> ResendDomainsClient? {
        guard let key = try await emailSettings.get(scope).resendAPIKey else { return nil }
        return ResendDomainsClient(baseURL: settings.resendBaseURL, apiKey: key, outbound: outbound,
                                   timeoutMilliseconds: settings.resendTimeoutMilliseconds)
    }

    /// `POST /domains` at Resend (or the account's domain of that name, when Resend has it already), then
    /// the domain stored with Resend's id and records (and our DMARC advice). No key pair: Resend signs.
    func addAtResend(_ scope: TenantScope, name: String, region: String) async throws -> SendingDomain {
        guard let client = try await resend(scope) else {
            throw APIError.conflict("the workspace sends through Resend but has no Resend API key: set resend_api_key at /api/v1/email/settings")
        }
        // Our own uniqueness first: a name the workspace has already must not be added at Resend again.
        if try await store.exists(scope, name: name) {
            throw APIError.conflict("the domain \(name) is already added", details: .object(["field": "name"]))
        }
        let created: ResendDomainsClient.Domain
        do {
            created = try await client.create(name: name, region: region)
        } catch let refused as APIError where refused.status == 409 && refused.details?["resend_status"] != .number(401) {
            // Resend has it already (added from its dashboard, or by a call whose answer was lost): the
            // account's domain is taken as it is, since it is the one Resend sends from.
            guard let id = try await client.find(name: name) else { throw refused }
            created = try await client.get(id: id)
        }
        let records = DomainRecipe.resend(created.records, domain: name)
        guard records.contains(where: { $0.kind == .dkim }) else {
            throw APIError(status: 502, code: "provider_error", message: "Resend answered no DKIM record for \(name)")
        }
        return try await store.create(scope, SendingDomainStore.New(
            name: name, provider: "resend", providerDomainID: created.id, records: records, selector: nil, privateKeyPEM: nil,
            nextCheckMs: clock.milliseconds + settings.recheckSeconds * 1000))
    }

    /// Resend's view of a Resend domain, after asking it to verify when `verify`; nil for other domains,
    /// or when the workspace no longer has a Resend key.
    func askResend(_ scope: TenantScope, _ domain: SendingDomain, verify: Bool) async throws -> ResendDomainsClient.Domain? {
        guard domain.provider == "resend", let id = domain.provider_domain_id, let client = try await resend(scope) else { return nil }
        if verify { try await client.verify(id: id) }
        return try await client.get(id: id)
    }

    /// Removes a Resend domain from the workspace's Resend account. Resend unreachable: an error, so the
    /// domain is not forgotten here while Resend still has it; Resend refusing (a revoked key): logged,
    /// since nothing the workspace does here would change it.
    func deleteAtResend(_ scope: TenantScope, _ domain: SendingDomain) async throws {
        guard domain.provider == "resend", let id = domain.provider_domain_id, let client = try await resend(scope) else { return }
        do {
            try await client.delete(id: id)
        } catch let error as APIError where error.status == 409 {
            logger.warning("Resend refused to delete a domain", metadata: ["domain": "\(domain.name)", "error": "\(error.message)"])
        }
    }

    /// The records with what Resend said of each (matched by type and name).
    static func withProviderStatus(_ records: [DomainRecord], _ resend: ResendDomainsClient.Domain, domain: String) -> [DomainRecord] {
        var statuses: [String: String] = [:]
        for record in resend.records {
            statuses[record.type + " " + DomainRecipe.fullName(record.name, in: domain)] = record.status
        }
        return records.map { record in
            var record = record
            if record.kind != .dmarc { record.provider_status = statuses[record.type + " " + record.name] }
            return record
        }
    }
}
