import OzziRuntime

/// The core JSON API: identity, contacts, messaging, communities, calendars, search and admin; and the
/// console, the pages a team works in (`/` and `/console`).
///
/// Each domain is a folder with an `APIDomain` that registers its routes, queue jobs, maintenance and
/// event types; `init` lists them once. Adding a domain is its folder plus one line here.
public struct APIWorker: RoutedWorker {
    public static let module = "api"
    public let router: Router
    /// Every route with its documentation, as `/api/v1/openapi.json` publishes it.
    let operations: [APIOperation]
    let jobs: JobHandlers
    let sweep: MaintenanceSweep
    let accounts: Accounts
    let domains: [any APIDomain]

    /// Needs the `KV` namespace, the `DB` database, the `FILES` bucket, the `LIVE` pub/sub, and the `JOBS`,
    /// `DELIVERY` and `WEBHOOKS` queues, which it also consumes (background work such as contact imports;
    /// message delivery and provider callbacks; outgoing webhooks).
    public init(env: WorkerEnv) throws {
        let api = try APIEnvironment(env: env)
        let voice = try VoiceDomain(api)
        let auth = try AuthDomain(api)
        let contacts = try ContactsDomain(api)
        let messaging = MessagingDomain(api)
        let campaigns = try CampaignsDomain(api)
        let conversations = try ConversationsDomain(api)
        let forms = try FormsDomain(api)
        let communities = try CommunitiesDomain(api)
        let calendars = try CalendarsDomain(api)
        let seo = try LocalSEODomain(api)
        let video = try VideoDomain(api)
        let publishers: [any APIDomain] = [
            auth,
            UsersDomain(api),
            WorkspacesDomain(api),
            APIKeysDomain(api),
            AuditDomain(api),
            contacts,
            GroupsDomain(api),
            TemplatesDomain(api),
            messaging,
            EmailsDomain(api),
            EmailEngagementDomain(api),
            RecurringDomain(api),
            LiveDomain(api),
            StudyBooksDomain(api),
            campaigns,
            EmailDomainsDomain(api),
            WidgetsDomain(api),
            conversations,
            PortalDomain(api),
            PrivacyDomain(api),
            forms,
            voice,
            try CallCampaignsDomain(api, calls: voice.outbound),
            communities,
            try SearchDomain(api),
            seo,
            calendars,
            video,
            ConsoleDomain(api, auth: auth, .init(contacts: contacts, messaging: messaging, campaigns: campaigns, conversations: conversations, forms: forms, voice: voice, communities: communities, calendars: calendars, seo: seo, video: video)),
        ]
        // Webhooks deliver what the others publish (a type two domains record, such as email.opened, once).
        var seen = Set<String>()
        let eventTypes = publishers.flatMap(\.publishes).filter { seen.insert($0).inserted }
        let domains = publishers + [try WebhooksDomain(api, eventTypes: eventTypes)]
        self.domains = domains

        let idempotency = IdempotencyStore(database: api.database, clock: api.clock)
        let routes = APIRoutes(authenticator: api.accounts.authenticator, idempotency: idempotency)
        let v1 = routes.group("/api/v1")
        v1.open("GET", "/status", "Liveness of the api worker", tag: "meta", answers: .json(.model(WorkerStatus.self)),
                WorkerStatus.route(worker: env.name, module: Self.module))
        for domain in domains { domain.routes(v1) }
        v1.addReferenceRoutes()
        v1.addOpenAPIRoute(routes.operations)
        router = routes.router
        operations = routes.operations

        var jobs = JobHandlers()
        for domain in domains { domain.jobs(&jobs) }
        self.jobs = jobs
        sweep = MaintenanceSweep(kv: try env.kv("KV"), database: api.database, idempotency: idempotency, domains: domains)
        accounts = api.accounts
    }

    /// `ozzi admin grant EMAIL`: makes the account a platform admin; false when no account has that email.
    public func grantPlatformAdmin(email: String) async throws -> Bool {
        try await accounts.users.grantPlatformAdmin(email: try EmailAddress.normalize(email))
    }

    /// Every queue the worker consumes carries `QueueJob`s; each goes to the domain that registered its kind.
    public func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        try await jobs.dispatch(batch, context: JobContext(request: context) { request in try await fetch(request, context: context) })
    }

    public func services(context: WorkerServiceContext) -> [any Service] {
        domains.flatMap { $0.services(context: context) }
    }

    /// The every-minute sweep on its cron; every other trigger goes to the domains (each runs its own).
    public func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {
        if event.cron == MaintenanceSweep.cron { try await sweep.run(event) }
        for domain in domains { try await domain.scheduled(event) }
    }
}

extension RouteGroup {
    private static let documentSchema = Schema.object([.required("openapi", .string()), .required("info", .any), .required("paths", .any)])
        .described("An OpenAPI 3.1 document")

    /// `GET /openapi.json`, listing every route registered before it and itself.
    func addOpenAPIRoute(_ operations: [APIOperation]) {
        let documented = operations + [APIOperation(method: "GET", path: prefix + "/openapi.json", summary: "This document", tag: "meta",
                                                    authenticated: false, body: nil, parameters: [], success: 200,
                                                    answer: .json(Self.documentSchema), idempotent: false)]
        let document = OpenAPIDocument.Served(documented)
        open("GET", "/openapi.json", "This document", tag: "meta", answers: .json(Self.documentSchema)) { _, _ in
            .bytes(document.bytes, contentType: "application/json")
        }
    }
}
