import OzziRuntime

/// `/api/v1/campaigns`: campaigns with their lifecycle actions (named as Mailchimp names them: schedule,
/// unschedule, send, pause, resume, cancel) and stats.
extension RouteGroup {
    func addCampaignRoutes(_ s: CampaignsDomain) {
        list("", "List campaigns, newest first", tag: "campaigns", of: .model(Campaign.self), filters: Campaign.listFilters,
             key: { Cursor($0.createdAt, $0.id).key }) { request, _, principal, page in
            try await s.campaigns.list(principal.scope, state: request.queryParameter("state").flatMap(CampaignState.init(rawValue:)),
                                       channel: request.queryParameter("channel").flatMap(MessageChannel.init(rawValue:)), page: page)
        }

        authed("POST", "", "Create a draft campaign: name, channel, audience, content, send_at, throttle_per_second, error_threshold",
               tag: "campaigns", body: .json(Campaign.creating), answers: .json(.model(Campaign.self)), success: 201,
               creates: true) { request, _, principal in
            let given = try CampaignInput(try JSONBody(request), creating: true, channel: nil, now: s.clock.milliseconds)
            let input = try await s.checked(principal.scope, given, channel: given.channel ?? .sms)
            return .json(try await s.campaigns.create(principal.scope, createdBy: principal.userID, input), status: 201)
        }

        authed("GET", "/:id", "One campaign with its stats", tag: "campaigns", answers: .json(.model(Campaign.self))) { _, context, principal in
            guard var campaign = try await s.campaigns.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("campaign") }
            campaign.stats = try await CampaignStats.count(s.campaigns.database, campaign)
            return .json(campaign)
        }

        authed("GET", "/:id/stats", "A campaign's numbers: recipients, sent, delivered, failed, bounced, opened, clicked, unsubscribed, complained",
               tag: "campaigns", answers: .json(.model(CampaignStats.self))) { _, context, principal in
            guard let campaign = try await s.campaigns.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("campaign") }
            return .json(try await CampaignStats.count(s.campaigns.database, campaign))
        }

        authed("PATCH", "/:id", "Change a draft, scheduled or paused campaign (409 otherwise); a paused one sends the new content on resume",
               tag: "campaigns", body: .json(Campaign.changing), answers: .json(.model(Campaign.self))) { request, context, principal in
            guard let current = try await s.campaigns.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("campaign") }
            guard current.state.isEditable else { throw CampaignStore.notEditable(current.state) }
            let given = try CampaignInput(try JSONBody(request), creating: false, channel: current.channel, now: s.clock.milliseconds)
            let input = try await s.checked(principal.scope, given, channel: current.channel)
            guard let campaign = try await s.campaigns.update(principal.scope, id: current.id, input) else { throw APIError.notFound("campaign") }
            return .json(campaign)
        }

        remove("Delete a draft, finished or cancelled campaign (409 otherwise); its messages stay", tag: "campaigns", noun: "campaign") { principal, id in
            try await s.campaigns.delete(principal.scope, id: id)
        }

        action("schedule", "Schedule a draft (or move a scheduled campaign's time): it starts at send_at", body: Campaign.scheduleInput) { request, principal, id in
            let body = try JSONBody(optional: request)
            var sendAt: (text: String, ms: Int64)?
            if let text = try body.string("send_at", max: 40) {
                let input = try CampaignInput(JSONBody(fields: ["send_at": .string(text), "time_zone": body.fields["time_zone"] ?? .null]), creating: false,
                                              channel: nil, now: s.clock.milliseconds)
                sendAt = input.sendAt ?? nil
            }
            return try await s.move(principal.scope, id, .schedule, sendAt: sendAt)
        }
        action("unschedule", "Take a scheduled campaign back to draft") { _, principal, id in
            try await s.move(principal.scope, id, .unschedule)
        }
        action("send", "Start a draft or scheduled campaign now") { _, principal, id in
            try await s.move(principal.scope, id, .sendNow)
        }
        action("pause", "Pause a running campaign: nothing more is sent until it resumes") { _, principal, id in
            try await s.move(principal.scope, id, .pause)
        }
        action("resume", "Resume a paused campaign: what is left is sent from now at its throttle") { _, principal, id in
            try await s.move(principal.scope, id, .resume)
        }
        action("cancel", "Cancel a scheduled, running or paused campaign: what has not been sent is cancelled") { _, principal, id in
            try await s.move(principal.scope, id, .cancel)
        }
    }

    /// `POST /:id/<name>`: a lifecycle action answering the campaign as it now is (409 when its state
    /// does not allow it).
    private func action(_ name: String, _ summary: String, body: Schema? = nil,
                        _ run: @escaping @Sendable (Request, Principal, String) async throws -> Campaign) {
        authed("POST", "/:id/\(name)", summary, tag: "campaigns", body: body.map { .json($0, optional: true) }, answers: .json(.model(Campaign.self))) { request, context, principal in
            .json(try await run(request, principal, context.parameter("id")))
        }
    }
}
