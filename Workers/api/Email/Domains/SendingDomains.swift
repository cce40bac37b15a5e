import Logging
import OzziRuntime

/// Sending domains as the api uses them: add one (its records, and its DKIM key when we sign), check
/// its records by DNS now or when the daily re-check is due; and, for sending, whether a From address
/// may be used and the key to sign it with.
struct SendingDomains: Sendable {
    let store: SendingDomainStore
    let dns: DNSClient
    let settings: SendingDomainSettings
    let events: WorkspaceEvents
    let clock: any WallClock
    let logger: Logger

    init(_ api: APIEnvironment) throws {
        settings = try SendingDomainSettings(api.env)
        store = SendingDomainStore(database: api.database, key: api.sealingKey, clock: api.clock)
        dns = DNSClient(server: settings.dnsServer, timeout: settings.dnsTimeout)
        events = api.events
        clock = api.clock
        logger = api.logger
    }

    /// Adds `name` (normalized) for a workspace sending through `provider` (`simulated` or `smtp`): a
    /// 2048-bit key pair is made for DKIM and the records to publish answered. Not checked until asked,
    /// or a day later: the records cannot be there yet.
    func add(_ scope: TenantScope, name: String, provider: String, spfInclude: String?) async throws -> SendingDomain {
        let recipe: DomainRecipe
        switch provider {
        case "smtp":
            guard let include = spfInclude ?? settings.smtpSPFInclude else {
                throw APIError.invalidField("spf_include", "the SPF include of your SMTP relay is required (e.g. _spf.relay.example)")
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
        return try await check(scope, domain)
    }

    /// Re-checks a few domains whose daily check is due (each claimed first, so hosts sharing the
    /// database do not check one twice); answers how many were checked.
    func recheckDue() async throws -> Int {
        var checked = 0
        for due in try await store.due(limit: settings.recheckBatch) {
            // Claimed until the retry time: a host that dies mid-check leaves it for another later.
            guard try await store.claim(due.record.id, until: clock.milliseconds + settings.retrySeconds * 1000) else { continue }
            _ = try await check(due.scope, due.record)
            checked += 1
        }
        return checked
    }

    /// Whether `address` (`a@b` or `Name <a@b>`) may be a From of the workspace: its domain is one of
    /// the workspace's verified domains, or, for the simulated provider only, the host's sandbox domain.
    func allowedFrom(_ scope: TenantScope, address: String, provider: String) async throws -> Bool {
        let bare = MailAddress(parsing: address).address
        guard let at = bare.lastIndex(of: "@") else { return false }
        var domain = bare[bare.index(after: at)...].lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty else { return false }
        if provider == "simulated", domain == settings.sandboxDomain { return true }
        return try await store.isVerified(scope, name: domain)
    }

    /// The DKIM selector and key of the workspace's `domain`, when we hold its key (SMTP signing).
    func dkimKey(_ scope: TenantScope, domain: String) async throws -> (selector: String, key: RSAKey)? {
        guard let stored = try await store.dkimKey(scope, name: domain.lowercased()) else { return nil }
        return (stored.selector, try RSAKey(pem: stored.pem))
    }

    /// Asks DNS for every record at once and stores what came back. A record DNS could not be asked
    /// about keeps its last status (with the error), and the domain is checked again sooner.
    private func check(_ scope: TenantScope, _ domain: SendingDomain) async throws -> SendingDomain? {
        let records = await withTaskGroup(of: (Int, DomainRecord).self) { group in
            for (index, record) in domain.records.enumerated() {
                group.addTask { (index, await check(record)) }
            }
            var checked = domain.records
            for await (index, record) in group { checked[index] = record }
            return checked
        }
        let told = records.filter { $0.error == nil }
        if told.count < records.count {
            logger.warning("sending domain check could not reach DNS", metadata: ["domain": "\(domain.name)", "server": "\(dns.server)",
                                                                                   "error": "\(records.compactMap(\.error).first ?? "")"])
        }
        let wait = told.count == records.count ? settings.recheckSeconds : settings.retrySeconds
        let saved = try await store.saveCheck(scope, id: domain.id, records: records, status: SendingDomain.status(of: records, was: domain.status),
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
