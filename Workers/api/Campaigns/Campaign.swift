import OzziRuntime

/// One send to an audience on one channel, and where it stands: its row in `campaigns`, answered as the
/// API shows it (the expansion and run bookkeeping stay inside).
struct Campaign: Sendable {
    let id: String
    let workspaceID: String
    let name: String
    let channel: MessageChannel
    let state: CampaignState
    let stateReason: String?
    let audience: CampaignAudience
    let content: CampaignContent
    let contentID: String?
    let sendAt: String?
    let sendAtMs: Int64?
    let throttlePerSecond: Int
    let errorThreshold: Int
    let failuresAtResume: Int
    let cursor: String
    let expanded: Bool
    let recipients: Int
    let nextDueMs: Int64
    /// Where re-planning the pending messages after a resume has got to; nil when there is none to do.
    let replanCursor: String?
    let runToken: String
    let runSeenMs: Int64
    let progress: String?
    let progressMs: Int64
    let createdBy: String
    let createdAt: String
    let updatedAt: String
    let startedAt: String?
    let finishedAt: String?
    /// Filled for one campaign (`GET /campaigns/:id`), not in lists.
    var stats: CampaignStats?

    var scope: TenantScope { TenantScope(workspaceID: workspaceID) }
}

/// What a campaign sends. SMS: a template or a body. Email: sender, subject and HTML and/or text (or a
/// template), and whether opens and clicks are tracked; it becomes the `email_contents` row all its
/// recipients share.
struct CampaignContent: Equatable, Sendable {
    var templateID: String?
    var body: String?
    var from: String?
    var replyTo: String?
    var subject: String?
    var html: String?
    var text: String?
    var trackOpens = false
    var trackClicks = false
}

extension Campaign: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, workspace_id, name, channel, state, state_reason, audience, template_id, body, from_address, reply_to, subject, html, text
        case track_opens, track_clicks, content_id, send_at, send_at_ms, throttle_per_second, error_threshold, failures_at_resume
        case expand_cursor, expanded, recipients, next_due_ms, replan_cursor, run_token, run_seen_ms, progress, progress_ms, created_by, created_at, updated_at
        case started_at, finished_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        name = try row.decode(String.self, forKey: .name)
        channel = try row.decode(MessageChannel.self, forKey: .channel)
        state = try row.decode(CampaignState.self, forKey: .state)
        stateReason = try row.decodeIfPresent(String.self, forKey: .state_reason)
        audience = try CampaignAudience(json: try row.decode(JSONValue.self, forKey: .audience))
        content = CampaignContent(
            templateID: try row.decodeIfPresent(String.self, forKey: .template_id), body: try row.decodeIfPresent(String.self, forKey: .body),
            from: try row.decodeIfPresent(String.self, forKey: .from_address), replyTo: try row.decodeIfPresent(String.self, forKey: .reply_to),
            subject: try row.decodeIfPresent(String.self, forKey: .subject), html: try row.decodeIfPresent(String.self, forKey: .html),
            text: try row.decodeIfPresent(String.self, forKey: .text), trackOpens: try row.decode(Int.self, forKey: .track_opens) != 0,
            trackClicks: try row.decode(Int.self, forKey: .track_clicks) != 0)
        contentID = try row.decodeIfPresent(String.self, forKey: .content_id)
        sendAt = try row.decodeIfPresent(String.self, forKey: .send_at)
        sendAtMs = try row.decodeIfPresent(Int64.self, forKey: .send_at_ms)
        throttlePerSecond = try row.decode(Int.self, forKey: .throttle_per_second)
        errorThreshold = try row.decode(Int.self, forKey: .error_threshold)
        failuresAtResume = try row.decode(Int.self, forKey: .failures_at_resume)
        cursor = try row.decode(String.self, forKey: .expand_cursor)
        expanded = try row.decode(Int.self, forKey: .expanded) != 0
        recipients = try row.decode(Int.self, forKey: .recipients)
        nextDueMs = try row.decode(Int64.self, forKey: .next_due_ms)
        replanCursor = try row.decodeIfPresent(String.self, forKey: .replan_cursor)
        runToken = try row.decode(String.self, forKey: .run_token)
        runSeenMs = try row.decode(Int64.self, forKey: .run_seen_ms)
        progress = try row.decodeIfPresent(String.self, forKey: .progress)
        progressMs = try row.decode(Int64.self, forKey: .progress_ms)
        createdBy = try row.decode(String.self, forKey: .created_by)
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
        startedAt = try row.decodeIfPresent(String.self, forKey: .started_at)
        finishedAt = try row.decodeIfPresent(String.self, forKey: .finished_at)
        stats = nil
    }
}

extension Campaign: Encodable {
    private enum Keys: String, CodingKey {
        case id, name, channel, state, state_reason, audience, content, send_at, throttle_per_second, error_threshold, recipients, expanded
        case stats, created_at, updated_at, started_at, finished_at
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(channel, forKey: .channel)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(stateReason, forKey: .state_reason)
        try container.encode(audience.json, forKey: .audience)
        try container.encode(content.json(channel), forKey: .content)
        try container.encodeIfPresent(sendAt, forKey: .send_at)
        try container.encode(throttlePerSecond, forKey: .throttle_per_second)
        try container.encode(errorThreshold, forKey: .error_threshold)
        try container.encode(recipients, forKey: .recipients)
        try container.encode(expanded, forKey: .expanded)
        try container.encodeIfPresent(stats, forKey: .stats)
        try container.encode(createdAt, forKey: .created_at)
        try container.encode(updatedAt, forKey: .updated_at)
        try container.encodeIfPresent(startedAt, forKey: .started_at)
        try container.encodeIfPresent(finishedAt, forKey: .finished_at)
    }
}

extension CampaignContent {
    /// As the API answers it: the channel's fields, those without a value left out.
    func json(_ channel: MessageChannel) -> JSONValue {
        var object: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
        put("template_id", templateID)
        switch channel {
        case .sms:
            put("body", body)
        case .email:
            put("from", from)
            put("reply_to", replyTo)
            put("subject", subject)
            put("html", html)
            put("text", text)
            object["track_opens"] = .bool(trackOpens)
            object["track_clicks"] = .bool(trackClicks)
        }
        return .object(object)
    }
}
