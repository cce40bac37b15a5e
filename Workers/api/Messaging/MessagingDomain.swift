import OzziRuntime

/// `/api/v1/messages`, `/api/v1/sms/settings`, `/api/v1/delivery` and Twilio's callbacks: scheduled SMS,
/// their delivery through the workspace's provider (`DELIVERY` queue jobs), and replies.
/// Route files read the shared `Messaging` service's parts (`s.messages`, `s.engine`) through it.
@dynamicMemberLookup
struct MessagingDomain: APIDomain {
    let service: Messaging
    let events: WorkspaceEvents
    let defaultCountry: String
    let publicURL: String
    let clock: any WallClock

    init(_ api: APIEnvironment) {
        service = api.messaging
        events = api.events
        defaultCountry = api.defaultCountry
        publicURL = api.publicURL
        clock = api.clock
    }

    subscript<Part>(dynamicMember part: KeyPath<Messaging, Part>) -> Part { service[keyPath: part] }

    /// Sends a failed, undelivered or under-review message again, now (the API's retry and the console's
    /// button); a message in any other state is a 409 naming it.
    func retry(_ scope: TenantScope, id: String) async throws -> Message {
        guard let message = try await service.messages.get(scope, id: id) else { throw APIError.notFound("message") }
        let jobs = try await service.messages.retry(scope, ids: [id])
        guard !jobs.isEmpty else { throw APIError.conflict("a \(message.status.rawValue) message cannot be retried") }
        try await service.deliveryQueue.enqueue(jobs.map { ($0, clock.milliseconds) })
        events.flushSoon()
        return try await service.messages.get(scope, id: id) ?? message
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/messages").addMessageRoutes(self)
        v1.group("/sms/settings").addSMSSettingsRoutes(self)
        v1.group("/webhooks/twilio").addTwilioWebhookRoutes(self)
        v1.addDeliveryRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        // A batch's deliveries go to the engine together: one read, one claim, one record.
        jobs.batch(DeliveryJob.self) { jobs, _ in
            try await service.engine.deliver(jobs)
        }
        jobs.batch(DeliveryGroupJob.self) { groups, _ in
            try await service.engine.deliver(groups.flatMap(\.jobs))
        }
        // A report the route does not know the message of yet (404: it overtook the engine's record of the
        // send) goes again after the queue's backoff; any other refusal is logged and dropped.
        jobs.each(SimulatedCallbackJob.self, settling: { job, message, context in
            let status = (try? await context.fetch(service.providers.simulated.callbackRequest(job)))?.status ?? 503
            if status == 404 || status >= 500 {
                message.retry()
                return
            }
            if status >= 300 { context.request.logger.warning("simulated callback refused", metadata: ["status": "\(status)"]) }
            message.ack()
        })
    }

    /// Re-queues messages whose delivery job a crash lost; settles what a stopped host left `sending`
    /// if no batch has come since the start to do it.
    func maintain() async throws {
        try await service.engine.recoverOnce()
        try await service.deliveryQueue.sweep()
    }

    var publishes: [String] { ["message.status", "message.inbound"] }

    func services(context: WorkerServiceContext) -> [any Service] {
        [DeliveryService(engine: service.engine, logger: context.logger)]
    }
}
