import OzziRuntime

/// `/api/v1/call-campaigns`: outbound call campaigns with the messaging campaigns' lifecycle actions
/// (schedule, unschedule, send, pause, resume, cancel), their stats, and each contact's progress.
extension RouteGroup {
    func addCallCampaignRoutes(_ s: CallCampaignsDomain) {
        list("", "List call campaigns, newest first", tag: "call-campaigns", of: .model(CallCampaign.self),
             key: { Cursor($0.created_at, $0.id).key }, item: { $0.answer() }) { _, _, principal, page in
            try await s.campaigns.list(principal.scope, page: page)
        }

        authed("POST", "", "Create a draft call campaign: number, context, audience, calling window, pace and retries", tag: "call-campaigns",
               body: .json(CallCampaign.body(creating: true)), answers: .json(.model(CallCampaign.self)), success: 201, creates: true) { request, _, principal in
            let input = try await s.checked(principal.scope, try CallCampaignInput(try JSONBody(request), creating: true))
            return .json(try await s.campaigns.create(principal.scope, createdBy: principal.userID, input).answer(stats: CallCampaignStats()), status: 201)
        }

        authed("GET", "/:id", "One call campaign with its stats", tag: "call-campaigns", answers: .json(.model(CallCampaign.self))) { _, context, principal in
            guard let campaign = try await s.campaigns.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call campaign") }
            return .json(campaign.answer(stats: try await CallCampaignStats.count(s.campaigns.database, campaignID: campaign.id)))
        }

        list("/:id/targets", "A call campaign's contacts and where each stands, by contact id", tag: "call-campaigns", of: CallCampaignTarget.schema,
             filters: [.query("status", Schema.oneOf(CallCampaignStats.statuses), "Only contacts in this state")], defaultLimit: 100,
             key: \.contact_id, item: \.json) { request, context, principal, page in
            guard let campaign = try await s.campaigns.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call campaign") }
            return try await s.campaigns.targets(campaign, status: request.queryParameter("status"), page: page)
        }

        authed("PATCH", "/:id", "Change a draft, scheduled or paused call campaign (409 otherwise)", tag: "call-campaigns",
               body: .json(CallCampaign.body(creating: false)), answers: .json(.model(CallCampaign.self))) { request, context, principal in
            let input = try await s.checked(principal.scope, try CallCampaignInput(try JSONBody(request), creating: false))
            guard let campaign = try await s.campaigns.update(principal.scope, id: context.parameter("id"), input) else { throw APIError.notFound("call campaign") }
            return .json(campaign.answer())
        }

        remove("Delete a draft, finished or cancelled call campaign (409 otherwise); its calls stay", tag: "call-campaigns", noun: "call campaign") { principal, id in
            try await s.campaigns.delete(principal.scope, id: id)
        }

        for (name, event, summary) in [
            ("schedule", CampaignMachine.Event.schedule, "Schedule a draft: it starts at its send_at"),
            ("unschedule", .unschedule, "Take a scheduled campaign back to draft"),
            ("send", .sendNow, "Start a draft or scheduled campaign now"),
            ("pause", .pause, "Pause a running campaign: no more calls start until it resumes (calls under way go on)"),
            ("resume", .resume, "Resume a paused campaign"),
            ("cancel", .cancel, "Cancel a scheduled, running or paused campaign: nobody else is called"),
        ] {
            authed("POST", "/:id/\(name)", summary, tag: "call-campaigns", answers: .json(.model(CallCampaign.self))) { _, context, principal in
                guard let moved = try await s.campaigns.move(principal.scope, id: context.parameter("id"), event) else { throw APIError.notFound("call campaign") }
                try await s.runner.after(moved)
                return .json(moved.campaign.answer())
            }
        }
    }
}
