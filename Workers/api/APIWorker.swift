import OzziRuntime

/// The core JSON API: identity, contacts, messaging, communities, calendars, search and admin.
public struct APIWorker: RoutedWorker {
    public static let module = "api"
    public let router: Router
    /// Every route with its documentation, as `/api/v1/openapi.json` publishes it.
    let operations: [APIOperation]
    let sweep: MaintenanceSweep

    /// Needs the `KV` namespace, the `DB` database, the `FILES` bucket, the `LIVE` pub/sub, and the `JOBS`,
    /// `DELIVERY` and `WEBHOOKS` queues, which it also consumes (background work such as contact imports;
    /// message delivery and provider callbacks; outgoing webhooks).
    public init(env: WorkerEnv) throws {
        let services = try APIServices(env: env)
        sweep = MaintenanceSweep(kv: try env.kv("KV"), database: try env.database("DB"), services: services)
        var routes = APIRoutes(authenticator: services.authenticator, idempotency: services.idempotency)
        routes.open("GET", "/api/v1/status", "Liveness of the api worker", tag: "meta", WorkerStatus.route(worker: env.name, module: Self.module))
        routes.addAuthRoutes(services)
        routes.addMeRoutes()
        routes.addWorkspaceRoutes(services)
        routes.addAPIKeyRoutes(services)
        routes.addAuditRoutes(services)
        routes.addContactBulkRoutes(services)
        routes.addContactRoutes(services)
        routes.addGroupRoutes(services)
        routes.addTemplateRoutes(services)
        routes.addMessageRoutes(services)
        routes.addSMSSettingsRoutes(services)
        routes.addTwilioWebhookRoutes(services)
        routes.addStreamRoutes(services)
        routes.addWebhookRoutes(services)
        routes.addDeliveryRoutes(services)
        routes.addBookAdminRoutes(services)
        routes.addBookRoutes(services)
        routes.addOpenAPIRoute()
        router = routes.router
        operations = routes.operations
    }

    /// `ozzi admin grant EMAIL`: makes the account a platform admin; false when no account has that email.
    public func grantPlatformAdmin(email: String) async throws -> Bool {
        try await sweep.services.users.grantPlatformAdmin(email: try EmailAddress.normalize(email))
    }

    public func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        let services = sweep.services
        // Delivery jobs of a batch go to the engine together: one read, one claim, one record.
        let deliveries = batch.messages.compactMap { DeliveryJob($0.body) }
        if !deliveries.isEmpty { try await services.engine.deliver(deliveries) }
        for message in batch.messages {
            switch message.body["kind"]?.stringValue {
            case DeliveryJob.kind:
                break
            case "sim_callback":
                // The simulated provider's delivery report, through the same route (and signature check) as Twilio's.
                if let request = services.providers.simulated.callbackRequest(message.body) {
                    let response = try await fetch(request, context: context)
                    if response.status >= 300 { context.logger.warning("simulated callback refused", metadata: ["status": "\(response.status)"]) }
                }
            case WebhookDispatcher.kind:
                try await services.webhooks.deliver(message.body["delivery_id"]?.stringValue ?? "")
            case "contact_import":
                try await sweep.services.importer.run(importID: message.body["import_id"]?.stringValue ?? "",
                                                       workspaceID: message.body["workspace_id"]?.stringValue ?? "")
            default:
                context.logger.warning("unknown job dropped", metadata: ["body": "\(message.body)"])
            }
            message.ack()
        }
    }

    public func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {
        try await sweep.run(event)
    }
}

extension APIRoutes {
    /// `GET /api/v1/openapi.json`, listing every route registered before it and itself.
    mutating func addOpenAPIRoute() {
        let documented = operations + [APIOperation(method: "GET", path: "/api/v1/openapi.json", summary: "This document", tag: "meta",
                                                    authenticated: false, body: [], success: 200, idempotent: false)]
        let document = Response.bytes(OpenAPIDocument.build(documented).jsonBytes, contentType: "application/json")
        open("GET", "/api/v1/openapi.json", "This document", tag: "meta") { _, _ in document }
    }
}
