import OzziRuntime

/// `/api/v1/call-campaigns`: the voice agent calls an audience of contacts (`CallCampaignRunner`), with the
/// messaging campaigns' lifecycle (`CampaignMachine`) and audiences (`CampaignAudience`), placing each call
/// as `POST /api/v1/calls` does (`OutboundCalls`: Twilio's Calls API or the simulated provider).
struct CallCampaignsDomain: APIDomain {
    let campaigns: CallCampaignStore
    let runner: CallCampaignRunner
    let numbers: VoiceNumberStore
    let contexts: CallContextStore
    let events: WorkspaceEvents

    init(_ api: APIEnvironment, calls: OutboundCalls) throws {
        campaigns = CallCampaignStore(database: api.database, clock: api.clock)
        runner = CallCampaignRunner(campaigns: campaigns, calls: calls, jobs: try api.env.queue("JOBS"), events: api.events, logger: api.logger)
        numbers = calls.numbers
        contexts = calls.renderer.contexts
        events = api.events
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/call-campaigns").announcing(events).addCallCampaignRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(CallCampaignRunJob.self) { [runner] job, _ in try await runner.run(job) }
    }

    func maintain() async throws {
        try await runner.maintain()
    }

    var publishes: [String] { ["call_campaign.created", "call_campaign.updated", "call_campaign.deleted", "call_campaign.state"] }

    /// The number and context a campaign names are the workspace's.
    func checked(_ scope: TenantScope, _ input: CallCampaignInput) async throws -> CallCampaignInput {
        if let id = input.numberID, try await numbers.get(scope, id: id) == nil {
            throw APIError.invalidField("number_id", "is not one of the workspace's voice numbers")
        }
        if let given = input.contextID, let id = given, try await contexts.get(scope, id: id) == nil {
            throw APIError.invalidField("context_id", "is not one of the workspace's call contexts")
        }
        return input
    }
}
