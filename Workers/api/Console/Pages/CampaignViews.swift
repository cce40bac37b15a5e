import OzziRuntime

/// The markup of the campaign pages: the list, the compose form with its preview, and one campaign whose
/// progress follows the live stream.
enum CampaignViews {
    static let listPart = LivePart(name: "campaigns", events: ["campaign.created", "campaign.state", "campaign.progress", "campaign.deleted"])

    static func progressPart(_ id: String) -> LivePart {
        LivePart(name: "progress", events: ["campaign.state", "campaign.progress"], key: "campaign_id", id: id)
    }

    static func list(request: Request, rows: HTML) -> HTML {
        let state = request.queryParameter("state") ?? ""
        let options = CampaignState.allCases.map { item -> HTML in
            "<option value=\"\(item.rawValue)\"\(HTML.when(item.rawValue == state, " selected"))>\(item.rawValue)</option>"
        }
        return """
            <h1>Campaigns</h1>
            <p><a class="button" href="/console/campaigns/new">New campaign</a></p>
            <form class="panel filters" method="get" action="/console/campaigns">
            <div><label for="campaign-state">State</label>
            <select id="campaign-state" name="state"><option value="">Every state</option>\(options)</select></div>
            <div></div><div><button type="submit">Show</button></div>
            </form>
            \(listPart.html(rows))
            """
    }

    /// The list's rows: where each campaign stands, from the numbers its runner last published.
    static func rows(_ page: Page<Campaign>, request: Request) -> HTML {
        guard !page.data.isEmpty else { return "<p class=\"panel\">No campaigns yet. <a href=\"/console/campaigns/new\">Compose one</a>.</p>" }
        let rows = page.data.map { campaign -> HTML in
            let stats = published(campaign)
            return """
                <tr><td data-label="Name"><a href="/console/campaigns/\(campaign.id)">\(campaign.name)</a></td>
                <td data-label="Channel">\(campaign.channel == .sms ? "SMS" : "Email")</td>
                <td data-label="State"><span class="tag state-\(campaign.state.rawValue)">\(campaign.state.rawValue)</span></td>
                <td data-label="Sent">\(stats.map { "\($0.sent + $0.failed) of \($0.recipients)" } ?? "—")</td>
                <td data-label="When"><time datetime="\(when(campaign))">\(when(campaign))</time></td></tr>
                """
        }
        return """
            <table class="rows"><caption class="visually-hidden">Campaigns, newest first</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Channel</th><th scope="col">State</th><th scope="col">Sent</th><th scope="col">When</th></tr></thead>
            <tbody>\(rows)</tbody></table>\(NextPageLink.html("/console/campaigns", request: request, cursor: page.next_cursor, label: "Older campaigns", drop: ["part"]))
            """
    }

    /// The stats the runner published with its last `campaign.progress` (nil before it ran).
    static func published(_ campaign: Campaign) -> CampaignStats? {
        guard let text = campaign.progress, let json = try? JSONValue(jsonBytes: Array(text.utf8)) else { return nil }
        func count(_ key: String) -> Int { Int(json[key]?.numberValue ?? 0) }
        var stats = CampaignStats()
        (stats.recipients, stats.sent, stats.failed) = (count("recipients"), count("sent"), count("failed"))
        return stats
    }

    private static func when(_ campaign: Campaign) -> String {
        campaign.finishedAt ?? campaign.startedAt ?? campaign.sendAt ?? campaign.createdAt
    }

    // MARK: - Compose

    static func compose(_ viewer: ConsoleViewer, draft: CampaignDraft, templates: [Template], groups: [Group], preview: HTML) -> HTML {
        let audiences = [("all", "Every contact the channel can reach")] + groups.map { ("group:" + $0.id, "Group: \($0.name) (\($0.member_count))") }
        let audienceOptions = audiences.map { value, label -> HTML in "<option value=\"\(value)\"\(HTML.when(value == draft.audience, " selected"))>\(label)</option>" }
        func checked(_ on: Bool) -> HTML { HTML.when(on, " checked") }
        return """
            <p><a href="/console/campaigns">All campaigns</a></p>
            <h1>New campaign</h1>
            \(draft.error.map { "<p class=\"error\" role=\"alert\" id=\"compose-error\">\($0)</p>" as HTML } ?? .empty)
            <form class="compose" method="post" action="/console/campaigns" data-preview="\(ComposeViews.previewPath)" data-preview-target="compose-preview">\(Layout.csrfField(viewer))
            <div class="panel">
            <label for="campaign-name">Name</label>
            <input id="campaign-name" name="name" type="text" required maxlength="200" value="\(draft.name)" autocomplete="off">
            <fieldset class="choice"><legend>Channel</legend>
            <label><input type="radio" name="channel" value="sms"\(checked(draft.channel == "sms"))> SMS</label>
            <label><input type="radio" name="channel" value="email"\(checked(draft.channel == "email"))> Email</label>
            </fieldset>
            <label for="campaign-audience">Audience</label>
            <select id="campaign-audience" name="audience">\(audienceOptions)</select>
            <label class="check"><input type="checkbox" name="opted_in_only" value="1"\(checked(draft.optedInOnly))> Only contacts who opted in</label>
            <p class="hint">Contacts who opted out are never sent to; consent and the suppression list are checked again at each send.</p>
            </div>
            <div class="grid2">
            <div class="panel">
            <fieldset data-channel="sms"\(HTML.when(draft.channel != "sms", " hidden"))><legend>SMS</legend>
            \(ComposeViews.smsFields(prefix: "campaign", templates: templates, templateID: draft.templateID, body: draft.body))
            </fieldset>
            <fieldset data-channel="email"\(HTML.when(draft.channel != "email", " hidden"))><legend>Email</legend>
            <label for="campaign-from">From</label>
            <input id="campaign-from" name="from" type="text" value="\(draft.from)" placeholder="The workspace's default sender" autocomplete="off">
            <label for="campaign-subject">Subject</label>
            <input id="campaign-subject" name="subject" type="text" value="\(draft.subject)" autocomplete="off">
            <label for="campaign-text">Text</label>
            <textarea id="campaign-text" name="text" rows="6">\(draft.text)</textarea>
            <label for="campaign-html">HTML (optional)</label>
            <textarea id="campaign-html" name="html" rows="4">\(draft.html)</textarea>
            <label class="check"><input type="checkbox" name="track_opens" value="1"\(checked(draft.trackOpens))> Count opens</label>
            <label class="check"><input type="checkbox" name="track_clicks" value="1"\(checked(draft.trackClicks))> Count clicks</label>
            </fieldset>
            \(ComposeViews.variablesHint)
            </div>
            \(ComposeViews.previewPanel(preview))
            </div>
            <div class="panel">
            \(ComposeViews.scheduleFields(prefix: "campaign", sendAt: draft.sendAt, timeZone: draft.timeZone))
            <label for="campaign-throttle">Messages per second</label>
            <input id="campaign-throttle" name="throttle_per_second" type="number" min="1" max="10000" value="\(draft.throttle)">
            <div class="actions">
            <button type="submit" name="do" value="draft">Save as draft</button>
            <button type="submit" name="do" value="schedule">Schedule</button>
            <button type="submit" name="do" value="send">Send now</button>
            </div>
            </div>
            </form>
            """
    }

    // MARK: - One campaign

    /// What the page says after an action (`?done=`: the action's name, never text from the address).
    static let said = ["saved": "Saved as a draft.", "schedule": "Scheduled.", "not-started": "Saved as a draft: it could not start; try again below.",
                       "send": "Sending now.", "unschedule": "Back to draft.", "pause": "Paused.", "resume": "Resumed.",
                       "cancel": "Cancelled: nothing more will be sent."]

    static func detail(_ viewer: ConsoleViewer, _ campaign: Campaign, stats: CampaignStats, groups: [Group], notice: String?) -> HTML {
        let audience: String = switch campaign.audience {
        case .all: "every contact the channel can reach"
        case .groups(let ids, _): "members of " + ids.map { id in groups.first { $0.id == id }?.name ?? id }.joined(separator: ", ")
        case .filter: "the contacts of a saved filter"
        }
        let content: HTML = campaign.channel == .sms
            ? "<div class=\"bubble\">\(campaign.content.body ?? "Template \(campaign.content.templateID ?? "")")</div>"
            : "<dl class=\"facts\"><dt>Subject</dt><dd>\(campaign.content.subject ?? "")</dd></dl><div class=\"bubble mail\">\(campaign.content.text ?? HTMLText.plain(campaign.content.html ?? ""))</div>"
        return """
            <p><a href="/console/campaigns">All campaigns</a></p>
            <h1>\(campaign.name)</h1>
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML } ?? .empty)
            \(progressPart(campaign.id).html(progress(viewer, campaign, stats: stats), element: "section", label: "Progress"))
            <div class="grid2">
            <section class="panel" aria-labelledby="campaign-facts"><h2 id="campaign-facts">Who and how</h2>
            <dl class="facts"><dt>Channel</dt><dd>\(campaign.channel == .sms ? "SMS" : "Email")</dd>
            <dt>Audience</dt><dd>\(audience)\(campaign.audience.optedInOnly ? ", opted in only" : "")</dd>
            <dt>Pace</dt><dd>\(campaign.throttlePerSecond) a second</dd>
            <dt>Send at</dt><dd>\(campaign.sendAt ?? "not set")</dd>
            <dt>Created</dt><dd>\(campaign.createdAt)</dd></dl>
            </section>
            <section class="panel" aria-labelledby="campaign-content"><h2 id="campaign-content">Message</h2>\(content)</section>
            </div>
            """
    }

    /// The live part: state, bar, numbers, and the actions the state allows.
    static func progress(_ viewer: ConsoleViewer, _ campaign: Campaign, stats: CampaignStats) -> HTML {
        let done = stats.recipients - stats.pending
        let state = campaign.state
        let summary: String = switch state {
        case .draft: "Draft: not scheduled."
        case .scheduled: "Scheduled for \(campaign.sendAt ?? "")."
        case .running: "Sending: \(done) of \(stats.recipients)\(campaign.expanded ? "" : " so far") done."
        case .paused: "Paused\(campaign.stateReason.map { " (\($0))" } ?? ""): \(done) of \(stats.recipients) done."
        case .finished: "Finished: \(done) of \(stats.recipients) done."
        case .cancelled: "Cancelled: \(done) of \(stats.recipients) done."
        }
        let bar: HTML = stats.recipients == 0 ? .empty
            : "<progress id=\"campaign-bar\" max=\"\(stats.recipients)\" value=\"\(done)\" aria-labelledby=\"campaign-state\"></progress>"
        var numbers: [(String, Int)] = [("Recipients", stats.recipients), ("Sent", stats.sent), ("Delivered", stats.delivered), ("Failed", stats.failed),
                                        ("Waiting", stats.pending), ("Unsubscribed", stats.unsubscribed)]
        if campaign.channel == .email { numbers += [("Bounced", stats.bounced), ("Opened", stats.opened), ("Clicked", stats.clicked), ("Complained", stats.complained)] }
        let facts = numbers.map { name, value -> HTML in "<dt>\(name)</dt><dd data-count=\"\(name.lowercased())\">\(value)</dd>" }
        let actions: [(String, String)] = switch state {
        case .draft: [("send", "Send now"), ("delete", "Delete")]
        case .scheduled: [("send", "Send now"), ("unschedule", "Back to draft"), ("cancel", "Cancel")]
        case .running: [("pause", "Pause"), ("cancel", "Cancel")]
        case .paused: [("resume", "Resume"), ("cancel", "Cancel")]
        case .finished, .cancelled: [("delete", "Delete")]
        }
        let buttons = actions.map { action, label -> HTML in
            """
            <form method="post" action="/console/campaigns/\(campaign.id)/\(action)">\(Layout.csrfField(viewer))<button type="submit"\
            \(HTML.when(action == "delete" || action == "cancel", " class=\"danger\""))>\(label)</button></form>
            """
        }
        return """
            <div class="panel">
            <p><span class="tag state-\(state.rawValue)" id="campaign-state-tag">\(state.rawValue)</span> <span id="campaign-state" role="status">\(summary)</span></p>
            \(bar)
            <dl class="facts stats">\(facts)</dl>
            <div class="actions">\(buttons)</div>
            </div>
            """
    }
}
