import OzziRuntime

/// `/api/v1/voice/numbers` (the numbers the AI voice agent answers, and how) and `/api/v1/calls` (what
/// happened on each call); and, for the voice-agent worker through its service binding, Twilio's signed
/// webhooks checked, call records kept, and the agent's tools that touch the workspace's data.
struct VoiceDomain: APIDomain {
    let numbers: VoiceNumberStore
    let calls: CallStore
    let contacts: ContactStore
    let tools: CallTools
    let outbound: OutboundCalls
    let simulated: SimulatedCalls
    let sync: VoiceNumberSync
    let browser: BrowserCalling
    let reviews: CallReviews
    let pricing: CallPricing
    let recordings: CallRecordings
    let dashboard: CallDashboard
    let lab: VoiceLab
    let contexts: CallContextStore
    let renderer: ContextRenderer
    let jobs: any QueueProducer
    let providers: SMSProviders
    let smsSettings: SMSSettingsStore
    let clock: any WallClock
    let events: WorkspaceEvents
    let defaultCountry: String

    init(_ api: APIEnvironment) throws {
        clock = api.clock
        events = api.events
        defaultCountry = api.defaultCountry
        numbers = VoiceNumberStore(database: api.database, clock: api.clock)
        calls = CallStore(database: api.database, clock: api.clock)
        contacts = ContactStore(database: api.database, clock: api.clock)
        providers = api.messaging.providers
        smsSettings = api.messaging.smsSettings
        contexts = CallContextStore(database: api.database, clock: api.clock)
        renderer = ContextRenderer(contexts: contexts, calls: calls, contacts: contacts, clock: api.clock)
        let voiceURL = BaseURL.withoutTrailingSlashes(api.env.var("VOICE_URL", default: api.publicURL + "/voice"))
        simulated = SimulatedCalls(numbers: numbers, calls: calls, settings: api.messaging.smsSettings, providers: api.messaging.providers,
                                   voice: try api.env.service("VOICE"), voiceURL: voiceURL, clock: api.clock, defaultCountry: api.defaultCountry)
        outbound = OutboundCalls(numbers: numbers, calls: calls, contacts: contacts, renderer: renderer, settings: api.messaging.smsSettings,
                                 providers: api.messaging.providers, simulated: simulated, voiceURL: voiceURL, defaultCountry: api.defaultCountry)
        sync = VoiceNumberSync(database: api.database, clock: api.clock, numbers: numbers, settings: api.messaging.smsSettings, providers: api.messaging.providers)
        browser = BrowserCalling(database: api.database, clock: api.clock, key: CredentialKey.derive(api.sealingKey, for: "voice-api-keys"), calls: calls,
                                 numbers: numbers,
                                 settings: api.messaging.smsSettings)
        jobs = try api.env.queue("JOBS")
        reviews = CallReviews(database: api.database, clock: api.clock, calls: calls, numbers: numbers, voice: try api.env.service("VOICE"), jobs: jobs,
                              logger: api.logger)
        pricing = CallPricing(database: api.database, clock: api.clock, calls: calls, settings: api.messaging.smsSettings, providers: api.messaging.providers,
                              logger: api.logger)
        recordings = CallRecordings(database: api.database, clock: api.clock, bucket: try api.env.bucket("FILES"), jobs: jobs,
                                    settings: api.messaging.smsSettings, providers: api.messaging.providers, voice: try api.env.service("VOICE"),
                                    logger: api.logger)
        dashboard = CallDashboard(database: api.database, clock: api.clock)
        lab = VoiceLab(numbers: numbers, calls: calls, tickets: VoiceLabTicket(key: CredentialKey.derive(api.sealingKey, for: "voice-lab")), jobs: jobs,
                       clock: api.clock, defaultCountry: api.defaultCountry, voicePath: Self.path(of: voiceURL))
        tools = CallTools(database: api.database, clock: api.clock, contacts: contacts, calls: calls, sms: api.messaging.scheduler)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/voice/numbers").announcing(events).addVoiceNumberRoutes(self)
        v1.group("/voice").addBrowserCallingRoutes(self)
        v1.group("/voice/lab").announcing(events).addVoiceLabRoutes(self)
        v1.group("/calls").addCallRoutes(self)
        v1.group("/call-contexts").announcing(events).addCallContextRoutes(self)
        v1.group("/internal/voice").announcing(events).addVoiceServiceRoutes(self)
    }

    var publishes: [String] {
        ["voice_number.created", "voice_number.updated", "voice_number.deleted", "call.started", "call.status", "call.ended", "call.turn",
         "call.session_ended", "call.handoff", "call.callback_requested", "call.judged", "call.reviewed", "call.review_failed",
         "call.review_corrected", "call.priced", "call.recording_stored", "call.recording_absent", "call.recording_failed", "call_context.created", "call_context.updated", "call_context.deleted"]
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(CallReviewJob.self, settling: { [reviews] job, message, _ in await reviews.run(job, message) })
        jobs.each(CallPriceJob.self, settling: { [pricing] job, message, _ in await pricing.run(job, message) })
        jobs.each(CallRecordingJob.self, settling: { [recordings] job, message, _ in await recordings.run(job, message) })
    }

    func maintain() async throws {
        try await reviews.requeueStalled()
        try await recordings.requeueStalled()
        try await lab.sweep()
    }

    /// The path part of a URL (`http://host:8787/voice` -> `/voice`): where a worker is mounted on its host.
    static func path(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? ""
    }

    /// What follows a call's end: its price and its review.
    func wrapUp(_ call: Call) async throws {
        try await jobs.sendBatch([CallPriceJob(callID: call.id).message, CallReviewJob(callID: call.id).message])
    }

    /// A Twilio form another worker received, `{url, signature, fields}`, with its signature checked.
    func signedForm(_ request: Request) async throws -> TwilioWebhook {
        let body = try JSONBody(request)
        guard case .object(let given)? = body.fields["fields"] else { throw APIError.invalidField("fields", "must be an object of form fields") }
        let fields = given.compactMap { key, value in value.stringValue.map { (key, $0) } }
        return try await TwilioWebhook(fields: fields, signature: try body.string("signature", max: 200), url: try body.requiredString("url", max: 2_000),
                                       providers: providers)
    }

    /// A relay socket's upgrade, `{url, signature}`, signed over its URL by the call's account.
    func checkUpgrade(_ body: JSONBody, accountSid: String) async throws {
        _ = try await TwilioWebhook(fields: [], signature: try body.string("signature", max: 200), url: try body.requiredString("url", max: 2_000),
                                    providers: providers, accountSid: accountSid)
    }

    /// Whether `accountSid` is the Twilio account the workspace sends with (the simulated one when it has none):
    /// another account's webhook must not start calls on this workspace's numbers.
    func accountServes(_ workspaceID: String, accountSid: String) async throws -> Bool {
        let settings = try await smsSettings.get(TenantScope(workspaceID: workspaceID))
        if settings.provider == "twilio" { return settings.accountSid == accountSid }
        return accountSid == SimulatedSMSProvider.accountSid
    }
}
