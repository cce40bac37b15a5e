import OzziRuntime

/// `/api/v1/campaigns`: SMS and email campaigns to groups, a saved contact filter or every contact, sent
/// through the messaging engine at a throttle, with a lifecycle (`CampaignMachine`), a run chain on the
/// `JOBS` queue (`CampaignRunner`) and per-campaign stats.
struct CampaignsDomain: APIDomain {
    let campaigns: CampaignStore
    let runner: CampaignRunner
    let templates: TemplateStore
    let senders: SendingDomains
    let events: WorkspaceEvents
    let clock: any WallClock

    init(_ api: APIEnvironment) throws {
        campaigns = CampaignStore(database: api.database, clock: api.clock)
        runner = CampaignRunner(campaigns: campaigns, messages: api.messaging.messages, deliveryQueue: api.messaging.deliveryQueue,
                                jobs: try api.env.queue("JOBS"), events: api.events, logger: api.logger,
                                aheadMs: (Int64(api.env.var("CAMPAIGN_EXPAND_AHEAD_SECONDS", default: "60")) ?? 60) * 1000)
        templates = TemplateStore(database: api.database, clock: api.clock)
        senders = api.sendingDomains
        events = api.events
        clock = api.clock
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/campaigns").announcing(events).addCampaignRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(CampaignRunJob.self) { job, _ in try await runner.run(job) }
    }

    func maintain() async throws {
        try await runner.maintain()
    }

    var publishes: [String] { ["campaign.created", "campaign.updated", "campaign.deleted", "campaign.state", "campaign.progress"] }

    /// Moves a campaign by a person's action and does what the move asks for; 404 when there is none.
    func move(_ scope: TenantScope, _ id: String, _ event: CampaignMachine.Event, sendAt: (text: String, ms: Int64)? = nil) async throws -> Campaign {
        guard let moved = try await campaigns.move(scope, id: id, event, sendAt: sendAt) else { throw APIError.notFound("campaign") }
        try await runner.after(moved)
        return try await campaigns.get(scope, id: id) ?? moved.campaign
    }

    /// The input checked against the workspace: the groups and template it names are the workspace's (404
    /// naming the one that is not); an email campaign's sender, given or the workspace's `default_from`, is on
    /// a domain the workspace may send from (409 naming the field). Answers it with its sender filled in.
    func checked(_ scope: TenantScope, _ input: CampaignInput, channel: MessageChannel) async throws -> CampaignInput {
        if case .groups(let ids, _) = input.audience {
            let found = Set(try await campaigns.database.prepare("""
                SELECT id FROM groups WHERE workspace_id = ? AND id IN (SELECT value FROM \(campaigns.database.dialect.elements()))
                """).bind(scope.workspaceID, SQLList.json(ids)).all().compactMap { $0.text("id") })
            if let missing = ids.first(where: { !found.contains($0) }) { throw APIError.notFound("group \(missing)") }
        }
        if let templateID = input.content?.templateID, try await templates.get(scope, id: templateID) == nil {
            throw APIError.notFound("template")
        }
        var input = input
        if channel == .email, let content = input.content {
            let given = content.from.map(MailAddress.init(parsing:))
            input.content?.from = try await senders.sender(scope, given, field: "content.from").formatted
        }
        return input
    }
}
