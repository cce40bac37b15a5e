import OzziRuntime

/// `/api/v1/emails` (transactional email: send, list, read with the timeline, the message as sent, cancel,
/// retry) and `/api/v1/webhooks/resend` (provider events, Svix-signed). Emails are messages of the
/// `email` channel: the messaging engine delivers them.
struct EmailsDomain: APIDomain {
    let messaging: Messaging
    let emails: EmailStore
    let scheduler: EmailScheduler
    let providerEvents: EmailEventStore
    let events: WorkspaceEvents
    let clock: any WallClock

    init(_ api: APIEnvironment) {
        messaging = api.messaging
        emails = EmailStore(database: api.database)
        scheduler = EmailScheduler(senders: api.sendingDomains, database: api.database, queue: api.messaging.deliveryQueue, clock: api.clock)
        let providers = api.messaging.email.providers
        providerEvents = EmailEventStore(database: api.database, clock: api.clock) { tx, scope, provider in
            try providers.webhookSecret(tx, scope, provider: provider)
        }
        events = api.events
        clock = api.clock
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/emails").addEmailRoutes(self)
        v1.group("/webhooks/resend").addResendWebhookRoute(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        // The simulated provider's events, posted to our own webhook route as Resend posts them: a
        // batch's at once (their writes share transactions), each email's in order.
        jobs.concurrently(SimulatedEmailCallbackJob.self, key: \.emailID) { job, context in
            try await messaging.email.simulated.deliver(job, fetch: context.fetch)
        }
        jobs.batch(SimulatedEmailCallbackGroupJob.self) { groups, context in
            await messaging.email.simulated.deliver(groups, context: context)
        }
    }

    var publishes: [String] { StatusChange.emailEventTypes }
}
