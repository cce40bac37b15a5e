import OzziRuntime

/// `/api/v1/email/domains`: the domains a workspace sends email from, verified by real DNS queries (on
/// demand and daily, in the every-minute maintenance).
struct EmailDomainsDomain: APIDomain {
    let domains: SendingDomains
    let events: WorkspaceEvents

    init(_ api: APIEnvironment) {
        domains = api.sendingDomains
        events = api.events
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/email/domains").announcing(events).addSendingDomainRoutes(self)
    }

    func maintain() async throws {
        _ = try await domains.recheckDue()
    }

    var publishes: [String] { ["email_domain.verified", "email_domain.failed"] }
}
