import OzziRuntime

/// Campaigns: the list with where each stands (live), composing one with a preview that follows the typing
/// (`ComposePages`: the SMS's encoding and segments), scheduling or sending it, and one campaign's progress, live, with the
/// actions its state allows (pause, resume, cancel, back to draft, delete).
extension ConsolePages {
    func addCampaignPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let campaigns = console.domains.campaigns

        get("/console/campaigns") { request, _, viewer in
            let page = try PageRequest(request, defaultLimit: 50)
            let rows = try await campaigns.campaigns.list(viewer.principal.scope, state: request.queryParameter("state").flatMap(CampaignState.init(rawValue:)),
                                                          channel: nil, page: page)
            let listed = CampaignViews.rows(page.page(rows, key: { Cursor($0.createdAt, $0.id).key }, item: { $0 }), request: request)
            if request.queryParameter("part") == CampaignViews.listPart.name { return .html(listed.text) }
            return try await shell.page(viewer, title: "Campaigns", section: .campaigns, CampaignViews.list(request: request, rows: listed))
        }

        /// The compose page, fresh or holding a refused form.
        @Sendable func compose(_ viewer: ConsoleViewer, _ draft: CampaignDraft, status: Int = 200) async throws -> Response {
            let scope = viewer.principal.scope
            let templates = try await campaigns.templates.list(scope, category: nil, channel: nil, page: PageRequest(limit: 100, after: nil))
            let groups = try await console.groups.list(scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "New campaign", section: .campaigns,
                                        CampaignViews.compose(viewer, draft: draft, templates: templates, groups: groups,
                                                              preview: try await console.preview(scope, draft)), status: status)
        }

        get("/console/campaigns/new") { _, _, viewer in try await compose(viewer, .blank) }

        post("/console/campaigns") { request, _, viewer, form in
            let draft = CampaignDraft { form[$0] }
            let scope = viewer.principal.scope
            let campaign: Campaign
            do {
                if form["do"] == "schedule", draft.sendAt.isEmpty {
                    throw APIError.invalidField("send_at", "choose when to send it, or save it as a draft")
                }
                let given = try CampaignInput(JSONBody(fields: draft.json), creating: true, channel: nil, now: campaigns.clock.milliseconds)
                let input = try await campaigns.checked(scope, given, channel: given.channel ?? .sms)
                campaign = try await campaigns.campaigns.create(scope, createdBy: viewer.principal.userID, input)
            } catch let error as APIError {
                return try await compose(viewer, draft.failed(error), status: error.status)
            }
            // Saved: from here a refusal (another tab changed it) leaves a draft to look at, not a second one to make.
            var done = "saved"
            do {
                switch form["do"] {
                case "schedule": _ = try await campaigns.move(scope, campaign.id, .schedule); done = "schedule"
                case "send": _ = try await campaigns.move(scope, campaign.id, .sendNow); done = "send"
                default: break
                }
            } catch is APIError {
                done = "not-started"
            }
            campaigns.events.flushSoon()
            return ConsoleShell.redirect("/console/campaigns/\(campaign.id)?done=\(done)")
        }

        get("/console/campaigns/:id") { request, context, viewer in
            let scope = viewer.principal.scope
            guard let campaign = try await campaigns.campaigns.get(scope, id: context.parameter("id")) else { throw APIError.notFound("campaign") }
            let stats = try await CampaignStats.count(campaigns.campaigns.database, campaign)
            if request.queryParameter("part") == "progress" { return .html(CampaignViews.progress(viewer, campaign, stats: stats).text) }
            let groups = try await console.groups.list(scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: campaign.name, section: .campaigns,
                                        CampaignViews.detail(viewer, campaign, stats: stats, groups: groups, notice: request.queryParameter("done").flatMap { CampaignViews.said[$0] }))
        }

        let moves: [String: CampaignMachine.Event] = ["send": .sendNow, "unschedule": .unschedule, "pause": .pause, "resume": .resume, "cancel": .cancel]
        post("/console/campaigns/:id/:action") { _, context, viewer, _ in
            let scope = viewer.principal.scope, id = context.parameter("id"), action = context.parameter("action")
            if action == "delete" {
                guard try await campaigns.campaigns.delete(scope, id: id) else { throw APIError.notFound("campaign") }
                campaigns.events.flushSoon()
                return ConsoleShell.redirect("/console/campaigns")
            }
            guard let event = moves[action] else { throw APIError.notFound("campaign action") }
            _ = try await campaigns.move(scope, id, event)
            campaigns.events.flushSoon()
            return ConsoleShell.redirect("/console/campaigns/\(id)?done=" + action)
        }
    }
}
