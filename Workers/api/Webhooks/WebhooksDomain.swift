import OzziRuntime

/// `/api/v1/webhook-endpoints`: a workspace's URLs for events, each delivery a signed POST on the
/// `WEBHOOKS` queue, retried with backoff, the endpoint disabled after repeated failures.
struct WebhooksDomain: APIDomain {
    let webhooks: WebhookDispatcher
    /// What the other domains publish: the types an endpoint may ask for (or `*`).
    let eventTypes: [String]

    init(_ api: APIEnvironment, eventTypes: [String]) throws {
        let webhooks = WebhookDispatcher(store: WebhookStore(database: api.database, key: api.sealingKey, clock: api.clock),
                                         queue: try api.env.queue("WEBHOOKS"), outbound: api.env.outbound,
                                         settings: WebhookDispatcher.Settings(api.env), clock: api.clock, logger: api.logger)
        self.webhooks = webhooks
        self.eventTypes = eventTypes
        api.events.onFlush { events in try await webhooks.fanOut(events) }
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/webhook-endpoints").addWebhookRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(WebhookDeliveryJob.self) { job, _ in
            try await webhooks.deliver(job.deliveryID)
        }
    }
}
