/// What recipients do with email: `/api/v1/email/suppressions` (the addresses no email goes to), the
/// one-click unsubscribe links (`/api/v1/email/unsubscribe/:token`), and open and click tracking
/// (`/api/v1/email/opens|clicks/:token`, `/api/v1/email/engagement/:id`).
struct EmailEngagementDomain: APIDomain {
    let suppressions: SuppressionStore
    let engagement: EngagementStore
    let unsubscriber: Unsubscriber
    let unsubscribeLinks: UnsubscribeLinks
    let trackingLinks: TrackingLinks
    let events: WorkspaceEvents

    init(_ api: APIEnvironment) {
        suppressions = SuppressionStore(database: api.database, clock: api.clock)
        engagement = EngagementStore(database: api.database, clock: api.clock)
        unsubscriber = Unsubscriber(database: api.database, clock: api.clock)
        let signer = EmailLinkSigner(sealingKey: api.sealingKey)
        unsubscribeLinks = UnsubscribeLinks(signer: signer, publicURL: api.publicURL)
        trackingLinks = TrackingLinks(signer: signer, publicURL: api.publicURL)
        events = api.events
    }

    func routes(_ v1: RouteGroup) {
        let email = v1.group("/email")
        email.group("/suppressions").announcing(events).addSuppressionRoutes(self)
        email.group("/unsubscribe").addUnsubscribeRoutes(self)
        email.addTrackingRoutes(self)
    }

    var publishes: [String] {
        ["email.suppressed", "email.unsuppressed", "email.unsubscribed", "email.opened", "email.clicked"]
    }
}
