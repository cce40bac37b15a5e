import OzziRuntime

/// `/api/v1/email/domains`: the domains a workspace sends email from, verified by real DNS queries (on
/// demand and daily, in the every-minute maintenance); and `/api/v1/email/settings`, the workspace's
/// email provider and default sender.
struct EmailDomainsDomain: APIDomain {
    let domains: SendingDomains
    let events: WorkspaceEvents

    init(_ api: APIEnvironment) {
        domains = api.sendingDomains
        events = api.events
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/email/domains").announcing(events).addSendingDomainRoutes(self)
        // The provider decides whose records a domain gets; a default sender is checked against the domains.
        v1.group("/email/settings").addEmailSettingsRoutes(domains.emailSettings, senders: domains)
    }

    func maintain() async throws {
        _ = try await domains.recheckDue()
    }

    var publishes: [String] { ["email_domain.verified", "email_domain.failed"] }
}
