import OzziRuntime

/// `/api/v1/series`: recurring sends. A message or an email sent with a `recurrence` (see `NewSeries`)
/// becomes a series; each occurrence is a normal message with its own status, the next one planned when
/// the one before is claimed for sending (`SeriesPlanner`, called from the delivery engine's claim).
struct RecurringDomain: APIDomain {
    let series: SeriesStore
    let templates: TemplateStore
    let queue: DeliveryQueue
    let events: WorkspaceEvents
    let clock: any WallClock

    init(_ api: APIEnvironment) {
        series = SeriesStore(database: api.database, messages: api.messaging.messages)
        templates = TemplateStore(database: api.database, clock: api.clock)
        queue = api.messaging.deliveryQueue
        events = api.events
        clock = api.clock
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/series").announcing(events).addSeriesRoutes(self)
    }

    /// Plans the next occurrence of active series whose latest one left `pending` without one being
    /// planned (leased by an outside service, canceled by hand): a series does not end unnoticed.
    func maintain() async throws {
        let stalled = try await series.stalled(limit: 500)
        guard !stalled.isEmpty else { return }
        let now = Timestamp.now(clock)
        let jobs = try await series.database.transaction { tx in try SeriesPlanner.planNext(tx, seriesIDs: stalled, now: now) }
        try await queue.enqueue(jobs)
        events.flushSoon()
    }

    var publishes: [String] { ["series.created", "series.updated", "series.stopped", "series.finished"] }

    /// A PATCH body as a change: the rule merged into the current one, the text or template checked.
    func change(_ scope: TenantScope, _ current: Series, _ body: JSONBody) async throws -> SeriesStore.Change {
        var change = SeriesStore.Change()
        if let recurrence = body.fields["recurrence"], recurrence != .null {
            change.rule = try RecurrenceRule(json: RecurrenceRule.merged(current.recurrence, recurrence), fallbackZone: try current.rule.zone.identifier,
                                             now: clock.milliseconds)
        }
        let text = try body.string("body", max: 1600), templateID = try body.string("template_id", max: 64)
        if text != nil || templateID != nil {
            guard current.channel == .sms else { throw APIError.invalidField(text != nil ? "body" : "template_id", "applies to an SMS series") }
            guard (text == nil) != (templateID == nil) else { throw APIError.invalidField("body", "give body or template_id, not both") }
            if let text {
                do { _ = try TemplateText(text) } catch { throw APIError.invalidField("body", error.message) }
            }
            if let templateID, try await templates.get(scope, id: templateID) == nil { throw APIError.notFound("template") }
            change.text = (templateID, text)
        }
        if let content = try await emailContent(scope, current, body) { change.contentID = content }
        if let value = body.fields["variables"] {
            guard value != .null else {
                change.variables = .some(nil)
                return change
            }
            guard let object = value.objectValue, object.count <= 100 else { throw APIError.invalidField("variables", "must be an object of at most 100 strings") }
            change.variables = try object.mapValues { value in
                guard let text = value.stringValue else { throw APIError.invalidField("variables", "values must be strings") }
                return text
            }
        }
        return change
    }

    /// An email series' new subject, HTML or text as a new content row (sent emails keep theirs); its id.
    private func emailContent(_ scope: TenantScope, _ current: Series, _ body: JSONBody) async throws -> String? {
        let subject = try body.string("subject", max: 998), html = try body.string("html", max: 512_000), plain = try body.string("text", max: 512_000)
        let given = [("subject", subject), ("html", html), ("text", plain)].filter { $0.1 != nil }
        guard let first = given.first else { return nil }
        guard current.channel == .email, let contentID = current.content_id else { throw APIError.invalidField(first.0, "applies to an email series") }
        for (field, source) in given {
            do { _ = try TemplateText(source ?? "") } catch { throw APIError.invalidField(field, error.message) }
        }
        guard let old = try await EmailContentStore(database: series.database).contents([contentID])[contentID] else { throw APIError.notFound("email content") }
        let content = EmailContent(id: ResourceID.make("eml"), from: old.from, replyTo: old.replyTo, templateID: nil, subject: subject ?? old.subject,
                                   html: html ?? old.html, text: plain ?? old.text, tags: old.tags, trackOpens: old.trackOpens,
                                   trackClicks: old.trackClicks, listUnsubscribe: old.listUnsubscribe)
        guard content.subject?.isEmpty == false else { throw APIError.invalidField("subject", "is required: the series' email uses a template") }
        guard content.html != nil || content.text != nil else { throw APIError.invalidField("html", "give html, text or both") }
        let now = Timestamp.now(clock)
        try await series.database.transaction { tx in try EmailContentStore.insert(tx, scope, content, now: now) }
        return content.id
    }
}
