import OzziRuntime

/// SMS as a service other domains build on (study books schedule through it; the inbox records replies):
/// the message store, the scheduler and delivery queue, the engine that sends through the workspace's
/// provider, and the provider settings.
struct Messaging: Sendable {
    let messages: MessageStore
    let deliveryQueue: DeliveryQueue
    let scheduler: MessageScheduler
    let engine: DeliveryEngine
    let providers: SMSProviders
    let smsSettings: SMSSettingsStore
    let inbox: Inbox
    let external: ExternalDelivery
    let stats: MessageStats
    let email: EmailChannel
    let emailSettings: EmailSettingsStore

    init(env: WorkerEnv, database: any SQLDatabase, events: WorkspaceEvents, limiter: RateLimiter, sealingKey: [UInt8], publicURL: String) throws {
        let clock = env.clock
        messages = MessageStore(database: database, clock: clock)
        let delivery = try env.queue("DELIVERY")
        deliveryQueue = DeliveryQueue(queue: delivery, messages: messages, clock: clock)
        scheduler = MessageScheduler(messages: messages, queue: deliveryQueue, templates: TemplateStore(database: database, clock: clock), clock: clock)
        smsSettings = SMSSettingsStore(database: database, key: sealingKey, clock: clock)
        // A staged outage for crash tests: each simulated provider stops answering after this many sends.
        let simulatedHalt = Int(env.var("SIM_HALT_AFTER_SENDS", default: ""))
        let simulated = try SimulatedSMSProvider(
            logPath: env.dataDirectory + "/simulated-sms.log",
            // Derived from the credentials key unless set (tests sign callbacks with a known token).
            authToken: env.var("SIMULATED_SMS_AUTH_TOKEN", default: Crypto.hex(CredentialKey.derive(sealingKey, for: "simulated-sms-account"))),
            callbacks: delivery, deliveryMs: Int(env.var("SIM_SMS_DELIVERY_MS", default: "500")) ?? 500,
            slowDeliveryMs: Int(env.var("SIM_SMS_SLOW_DELIVERY_MS", default: "5000")) ?? 5000,
            latencyMs: Int(env.var("SIM_SMS_LATENCY_MS", default: "0")) ?? 0, haltAfter: simulatedHalt)
        providers = SMSProviders(settings: smsSettings, simulated: simulated, outbound: env.outbound,
                                 twilioBaseURL: env.var("TWILIO_API_BASE", default: "https://api.twilio.com"),
                                 twilioTimeoutMilliseconds: Int(env.var("TWILIO_TIMEOUT_MS", default: "15000")) ?? 15_000,
                                 statusCallbackURL: publicURL + "/api/v1/webhooks/twilio/status")
        emailSettings = EmailSettingsStore(database: database, key: sealingKey, clock: clock)
        let simulatedEmail = try SimulatedEmailProvider(
            bucket: try env.bucket("FILES"), logPath: env.dataDirectory + "/simulated-email.log",
            // Derived from the credentials key unless set (tests sign events with a known secret).
            webhookSecret: env.var("SIMULATED_EMAIL_WEBHOOK_SECRET", default: "whsec_" + Base64.encode(CredentialKey.derive(sealingKey, for: "simulated-email-webhooks"))),
            webhookURL: publicURL + "/api/v1/webhooks/resend", callbacks: delivery, clock: clock,
            deliveryMs: Int(env.var("SIM_EMAIL_DELIVERY_MS", default: "500")) ?? 500, haltAfter: simulatedHalt)
        let links = EmailLinkSigner(sealingKey: sealingKey)
        email = EmailChannel(contents: EmailContentStore(database: database), suppressions: SuppressionStore(database: database, clock: clock),
                             providers: EmailProviders(env: env, settings: emailSettings, simulated: simulatedEmail),
                             sendingDomains: SendingDomainStore(database: database, key: sealingKey, clock: clock),
                             unsubscribeLinks: UnsubscribeLinks(signer: links, publicURL: publicURL),
                             trackingLinks: TrackingLinks(signer: links, publicURL: publicURL),
                             senders: SenderRule(store: SendingDomainStore(database: database, key: sealingKey, clock: clock),
                                                 sandboxDomain: try SendingDomainSettings(env).sandboxDomain))
        let hosts = DeliveryHosts(database: database, clock: clock,
                                  leaseSeconds: Int(env.var("DELIVERY_HOST_LEASE_SECONDS", default: "30")).map { max(3, $0) } ?? 30)
        engine = DeliveryEngine(messages: messages, queue: deliveryQueue, providers: providers, email: email, limiter: limiter, limits: try SendLimits(env),
                                events: events, hosts: hosts, logger: env.logger, metrics: DeliveryMetrics(metrics: env.metrics))
        inbox = Inbox(database: database, settings: smsSettings, events: events, clock: clock)
        external = ExternalDelivery(messages: messages)
        stats = MessageStats(database: database, clock: clock)
    }
}
