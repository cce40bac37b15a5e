import OzziRuntime

/// Data protection for a workspace's contacts: what it holds about one person as a file (GDPR Art. 15/20),
/// erasure requests from the client portal and their completion (Art. 17), and a retention policy the
/// daily run applies at 01:00 UTC (`RetentionRun`), each run written to the audit log.
struct PrivacyDomain: APIDomain {
    let database: any SQLDatabase
    let clock: any WallClock
    let personalData: PersonalData
    let erasures: ErasureStore
    let retention: RetentionRun
    let audit: AuditLog
    let events: WorkspaceEvents

    init(_ api: APIEnvironment) {
        database = api.database
        clock = api.clock
        personalData = PersonalData(database: api.database, clock: api.clock)
        erasures = ErasureStore(database: api.database, clock: api.clock, bucket: try? api.env.bucket("FILES"))
        audit = api.accounts.audit
        events = api.events
        retention = RetentionRun(database: api.database, clock: api.clock, audit: api.accounts.audit)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/privacy").announcing(events).addPrivacyRoutes(self)
    }

    var publishes: [String] { ["erasure_request.created", "erasure_request.completed", "contact.deleted"] }

    func scheduled(_ event: ScheduledEvent) async throws {
        if event.cron == RetentionRun.cron { try await retention.run() }
    }
}
