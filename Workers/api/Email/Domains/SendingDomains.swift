import Logging
import OzziRuntime

/// Sending domains as the api uses them: add one (its records, and its DKIM key when we sign), check
/// its records by DNS now or when the daily re-check is due; and, for sending, whether a From address
/// may be used. (The DKIM signers of a workspace's domains: `store.dkimSigners`.)
struct SendingDomains: Sendable {
    let store: SendingDomainStore
    let dns: DNSClient
    let settings: SendingDomainSettings
    /// Whose records a new domain gets, and which From rule applies: the workspace's email provider.
    let emailSettings: EmailSettingsStore
    let events: WorkspaceEvents
    /// Resend's domain API, for workspaces on Resend.
    let outbound: OutboundFetcher
    let clock: any WallClock
    let logger: Logger

    init(env: WorkerEnv, database: any SQLDatabase, sealingKey: [UInt8], events: WorkspaceEvents) throws {
        settings = try SendingDomainSettings(env)
        store = SendingDomainStore(database: database, key: sealingKey, clock: env.clock)
        emailSettings = EmailSettingsStore(database: database, key: sealingKey, clock: env.clock)
        dns = DNSClient(server: settings.dnsServer, timeout: settings.dnsTimeout)
        self.events = events
        outbound = env.outbound
        clock = env.clock
        logger = env.logger
    }

    /// Adds `name` (normalized) for a workspace sending through `provider`: on Resend, Resend adds it in
    /// the workspace's account and answers the records; otherwise a 2048-bit key pair is made for DKIM and
    /// the records to publish answered. Not checked until asked, or a day later: the records cannot be
    /// there yet.
    func add(_ scope: TenantScope, name: String, provider: String, spfInclude: String?, region: String? = nil) async throws -> SendingDomain {
        if provider == "resend" { return try await addAtResend(scope, name: name, region: region ?? "us-east-1") }
        let recipe: DomainRecipe
        switch provider {
        case "smtp":
            // Required by the workspace's settings, not by the body's shape: a conflict naming the field.
            guard let include = spfInclude ?? settings.smtpSPFInclude else {
                throw APIError.conflict("the workspace sends through an SMTP relay: give the relay's SPF include in spf_include (e.g. _spf.relay.example)",
                                        details: ["field": "spf_include"])
            }
            recipe = DomainRecipe(provider: provider, spfInclude: include, bounceMX: nil)
        default:
            recipe = DomainRecipe(provider: provider, spfInclude: settings.spfInclude, bounceMX: settings.bounceMX)
        }
        // Key generation takes a while (primes): off the loop.
        let key = try await BlockingPool.shared.run { try RSAKey.generate() }
        let selector = settings.dkimSelector
        return try await store.create(scope, SendingDomainStore.New(
            name: name, provider: provider, providerDomainID: nil,
            records: recipe.records(for: name, selector: selector, publicKey: key.publicKeyBase64),
            selector: selector, privateKeyPEM: key.pem, nextCheckMs: clock.milliseconds + settings.recheckSeconds * 1000))
    }

    /// Checks the domain's records now; nil when the workspace has no such domain.
    func verify(_ scope: TenantScope, id: String) async throws -> SendingDomain? {
        guard let domain = try await store.get(scope, id: id) else { return nil }
        return try await check(scope, domain, provider: try await askResend(scope, domain, verify: true))
    }

    /// Deletes the domain, at Resend too for a Resend domain (so it can be added again); false when the
    /// workspace has no such domain.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        guard let domain = try await store.get(scope, id: id) else { return false }
        try await deleteAtResend(scope, domain)
        return try await store.delete(scope, id: id)
    }

    /// Re-checks a few domains whose daily check is due (each claimed first, so hosts sharing the
    /// database do not check one twice); answers how many were checked.
    func recheckDue() async throws -> Int {
        var checked = 0
        for due in try await store.due(limit: settings.recheckBatch) {
            // Claimed until the retry time: a host that dies mid-check leaves it for another later.
            guard try await store.claim(due.record.id, until: clock.milliseconds + settings.retrySeconds * 1000) else { continue }
            // Resend is asked for its status, not to verify again (which it does on its own schedule).
            let provider = try? await askResend(due.scope, due.record, verify: false)
            _ = try await check(due.scope, due.record, provider: provider ?? nil)
            checked += 1
        }
        return checked
    }

    /// Who may be a From of a workspace (`SenderRule`): its verified domains its provider serves, or, for
    /// the simulated provider only, the host's sandbox domain.
    var rule: SenderRule { SenderRule(store: store, sandboxDomain: settings.sandboxDomain) }

    /// Whether `address` (`a@b` or `Name <a@b>`) may be a From of the workspace sending through `provider`.
    func allowedFrom(_ scope: TenantScope, address: String, provider: String) async throws -> Bool {
        try await rule.senders(scope, provider: provider).refusal(address) == nil
    }

    /// Refuses a From the workspace may not send from with its provider as it is now (or `provider`, when
    /// the request changes it): a 409 naming `field`, since the same body passes once the domain is
    /// verified. On the simulated provider (the offline default) the sandbox domain (`EMAIL_SANDBOX_DOMAIN`)
    /// needs no DNS, so email works without any domain; every other domain must be verified, whatever the
    /// provider. The delivery engine checks again when the email is due (`EmailChannel`).
    func requireSender(_ scope: TenantScope, _ address: String, field: String, provider: String? = nil) async throws {
        let current: String
        if let provider { current = provider } else { current = try await emailSettings.get(scope).provider }
        try await rule.senders(scope, provider: current).require(address, field: field)
    }

    /// The From given, or the workspace's default sender; either checked against the workspace's domains
    /// now (a 409 naming the field it came from, `field` or `default_from`), and again when the email is due.
    func sender(_ scope: TenantScope, _ given: MailAddress?, field: String) async throws -> MailAddress {
        let settings = try await emailSettings.get(scope)
        if let given {
            try await requireSender(scope, given.address, field: field, provider: settings.provider)
            return given
        }
        guard let stored = settings.defaultFrom else {
            throw APIError.conflict("no \(field) was given and the workspace has no default sender: give \(field), or set default_from at /api/v1/email/settings",
                                    details: ["field": .string(field)])
        }
        let from = try MailAddress.input(stored, field: "default_from")
        try await requireSender(scope, from.address, field: "default_from", provider: settings.provider)
        return from
    }

    /// Asks DNS for every record at once and stores what came back. A record DNS could not be asked
    /// about keeps its last status (with the error), and the domain is checked again sooner.
    /// `provider`: a Resend domain as Resend just answered it (its status, and each record's).
    private func check(_ scope: TenantScope, _ domain: SendingDomain, provider: ResendDomainsClient.Domain? = nil) async throws -> SendingDomain? {
        let asked = provider.map { Self.withProviderStatus(domain.records, $0, domain: domain.name) } ?? domain.records
        let records = await withTaskGroup(of: (Int, DomainRecord).self) { group in
            for (index, record) in asked.enumerated() {
                group.addTask { (index, await check(record)) }
            }
            var checked = asked
            for await (index, record) in group { checked[index] = record }
            return checked
        }
        let told = records.filter { $0.error == nil }
        if told.count < records.count {
            logger.warning("sending domain check could not reach DNS", metadata: ["domain": "\(domain.name)", "server": "\(dns.server)",
                                                                                   "error": "\(records.compactMap(\.error).first ?? "")"])
        }
        // A Resend domain Resend could not be asked about keeps Resend's last word: what it last said of the
        // records (the domain's own status mixes in our DNS check: a domain failed for a record DNS had wrong
        // would stay failed once it was right), or, before Resend said anything, the domain's status.
        let providerStatus = provider?.status
            ?? (domain.provider == "resend" ? SendingDomain.providerStatus(of: domain.records) ?? domain.status.rawValue : nil)
        let wait = told.count == records.count ? settings.recheckSeconds : settings.retrySeconds
        let saved = try await store.saveCheck(scope, id: domain.id, records: records, status: SendingDomain.status(of: records, was: domain.status, provider: providerStatus),
                                              checked: !told.isEmpty, nextCheckMs: clock.milliseconds + wait * 1000)
        events.flushSoon()
        return saved
    }

    private func check(_ record: DomainRecord) async -> DomainRecord {
        var record = record
        do {
            let answer = try await dns.query(record.name, DomainRecordCheck.type(of: record))
            (record.status, record.found) = DomainRecordCheck.check(record, answer)
            record.error = nil
            record.checked_at = Timestamp.now(clock)
        } catch {
            record.error = "\(error)"
        }
        return record
    }
}
