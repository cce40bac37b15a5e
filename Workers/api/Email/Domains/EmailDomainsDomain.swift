import OzziRuntime

/// `/api/v1/email/domains`: the domains a workspace sends email from, verified by real DNS queries (on
/// demand and daily, in the every-minute maintenance).
struct EmailDomainsDomain: APIDomain {
    let domains: SendingDomains
    let events: WorkspaceEvents
    /// The email provider a workspace sends through, whose records its new domains get.
    let provider: @Sendable (TenantScope) async throws -> String

    init(_ api: APIEnvironment) throws {
        domains = try SendingDomains(api)
        events = api.events
        provider = { _ in "simulated" }
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/email/domains").announcing(events).addSendingDomainRoutes(self)
    }

    func maintain() async throws {
        _ = try await domains.recheckDue()
    }

    var publishes: [String] { ["email_domain.verified", "email_domain.failed"] }
}
