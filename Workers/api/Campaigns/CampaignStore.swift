import OzziRuntime

/// All SQL of campaigns themselves: create, read, list, change, delete, and state transitions, each in
/// one transaction with its event. (Expansion, re-planning and stats, which write messages, are in
/// `CampaignRunner` and `CampaignStats`.)
struct CampaignStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let columns = Campaign.selection

    func create(_ scope: TenantScope, createdBy: String, _ input: CampaignInput) async throws -> Campaign {
        let id = ResourceID.make("cmp")
        let now = Timestamp.now(clock)
        let content = input.content ?? CampaignContent()
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO campaigns (id, workspace_id, name, channel, state, audience, template_id, body, from_address, reply_to, subject, html, text,
                  track_opens, track_clicks, send_at, send_at_ms, throttle_per_second, error_threshold, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, input.name ?? "", (input.channel ?? .sms).rawValue, Self.json(input.audience?.json ?? .null),
                       content.templateID, content.body, content.from, content.replyTo, content.subject, content.html, content.text,
                       content.trackOpens, content.trackClicks, input.sendAt??.text, input.sendAt??.ms,
                       input.throttlePerSecond ?? CampaignInput.defaultThrottle, input.errorThreshold ?? CampaignInput.defaultErrorThreshold,
                       createdBy, now, now)
            try WorkspaceEvents.record(tx, [(scope, "campaign.created", ["campaign_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Campaign? {
        try await database.prepare("SELECT \(Self.columns) FROM campaigns WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Campaign.self)
    }

    /// A campaign by id alone, for its own run jobs.
    func get(id: String) async throws -> Campaign? {
        try await database.prepare("SELECT \(Self.columns) FROM campaigns WHERE id = ?").bind(id).first(Campaign.self)
    }

    /// Newest first, keyset-paged on (created_at, id).
    func list(_ scope: TenantScope, state: CampaignState?, channel: MessageChannel?, page: PageRequest) async throws -> [Campaign] {
        var sql = "SELECT \(Self.columns) FROM campaigns WHERE workspace_id = ?"
        var values: [any SQLBindable] = [scope.workspaceID]
        if let state { sql += " AND state = ?"; values.append(state.rawValue) }
        if let channel { sql += " AND channel = ?"; values.append(channel.rawValue) }
        if page.after != nil {
            let (key, id) = page.afterKeyAndID
            sql += " AND (created_at < ? OR (created_at = ? AND id < ?))"
            values += [key, key, id]
        }
        values.append(page.limit + 1)
        return try await database.prepare(sql + " ORDER BY created_at DESC, id DESC LIMIT ?").bind(values).all(Campaign.self)
    }

    /// Applies the fields given, while the campaign is editable (409 otherwise); nil when there is none.
    func update(_ scope: TenantScope, id: String, _ input: CampaignInput) async throws -> Campaign? {
        let now = Timestamp.now(clock)
        let found = try await database.transaction { tx -> Bool in
            guard let current = try tx.first(Campaign.self, "SELECT \(Self.columns) FROM campaigns WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else {
                return false
            }
            guard current.state.isEditable else { throw Self.notEditable(current.state) }
            let content = input.content ?? current.content
            let sendAt = input.sendAt ?? current.sendAt.map { ($0, current.sendAtMs ?? 0) }
            // Only while it is the state read above: a run that started meanwhile refuses the change.
            guard try tx.run("""
                UPDATE campaigns SET name = ?, audience = ?, template_id = ?, body = ?, from_address = ?, reply_to = ?, subject = ?, html = ?, text = ?,
                  track_opens = ?, track_clicks = ?, send_at = ?, send_at_ms = ?, throttle_per_second = ?, error_threshold = ?, updated_at = ?
                WHERE id = ? AND state = ?
                """, input.name ?? current.name, Self.json((input.audience ?? current.audience).json), content.templateID, content.body, content.from,
                       content.replyTo, content.subject, content.html, content.text, content.trackOpens, content.trackClicks, sendAt?.text, sendAt?.ms,
                       input.throttlePerSecond ?? current.throttlePerSecond, input.errorThreshold ?? current.errorThreshold, now,
                       id, current.state.rawValue).changes == 1 else { throw Self.changedMeanwhile }
            try WorkspaceEvents.record(tx, [(scope, "campaign.updated", ["campaign_id": .string(id)])], at: now)
            return true
        }
        return found ? try await get(scope, id: id) : nil
    }

    /// Deletes a draft, finished or cancelled campaign (409 for one that may still send); its messages
    /// stay in the history.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard let current = try tx.first(Campaign.self, "SELECT \(Self.columns) FROM campaigns WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else {
                return false
            }
            guard current.state == .draft || current.state.isFinal else {
                throw APIError.conflict("a \(current.state.rawValue) campaign cannot be deleted; cancel it first", details: ["state": .string(current.state.rawValue)])
            }
            guard try tx.run("DELETE FROM campaigns WHERE id = ? AND state = ?", id, current.state.rawValue).changes == 1 else { throw Self.changedMeanwhile }
            try WorkspaceEvents.record(tx, [(scope, "campaign.deleted", ["campaign_id": .string(id)])], at: now)
            return true
        }
    }

    /// A transition done: the campaign as it now is, what the machine decided, and the run token of a
    /// chain to start (when it asked for one).
    struct Moved: Sendable {
        let campaign: Campaign
        let transition: CampaignMachine.Transition
    }

    /// Moves a campaign by `event` in one transaction: the new state, its reason and bookkeeping, the
    /// effects that live in the database (content fixed, pending messages held), and a `campaign.state`
    /// event. A refused transition is a 409 naming the state; nil when there is no such campaign.
    /// `sendAt` replaces the campaign's own (a schedule request's).
    func move(_ scope: TenantScope, id: String, _ event: CampaignMachine.Event, sendAt: (text: String, ms: Int64)? = nil) async throws -> Moved? {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let moved = try await database.transaction { tx -> Moved? in
            guard let current = try tx.first(Campaign.self, "SELECT \(Self.columns) FROM campaigns WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else {
                return nil
            }
            let transition: CampaignMachine.Transition
            switch CampaignMachine.apply(event, to: current.state) {
            case .success(let next): transition = next
            case .failure(let refusal): throw APIError.conflict(refusal.message, details: ["state": .string(current.state.rawValue)])
            }
            let effects = transition.effects
            let sendAt = sendAt ?? current.sendAt.map { ($0, current.sendAtMs ?? nowMs) }
            if effects.contains(.armStart), sendAt == nil {
                throw APIError.conflict("the campaign has no send_at: give one to schedule it, or send it now", details: ["field": "send_at"])
            }
            let starts = effects.contains(.armStart) || effects.contains(.run)
            // Failures so far do not count against a run that starts again (as listmonk resets its count).
            let failures = effects.contains(.run) ? try Self.failures(tx, campaignID: id) : current.failuresAtResume
            guard try tx.run("""
                UPDATE campaigns SET state = ?, state_reason = ?, send_at = ?, send_at_ms = ?, run_token = ?, run_seen_ms = ?, failures_at_resume = ?,
                  replan_cursor = ?, next_due_ms = ?, started_at = coalesce(started_at, ?), finished_at = ?, updated_at = ?
                WHERE id = ? AND state = ?
                """, transition.to.rawValue, transition.reason, sendAt?.0, sendAt?.1, starts ? ResourceID.make("run") : current.runToken,
                       starts ? nowMs : current.runSeenMs, failures, effects.contains(.replanPending) ? "" : current.replanCursor,
                       // A resumed campaign's pace starts again from now.
                       effects.contains(.replanPending) ? 0 : current.nextDueMs,
                       transition.to == .running ? now : nil, transition.to.isFinal ? now : nil, now, id, current.state.rawValue).changes == 1 else {
                throw Self.changedMeanwhile
            }
            if effects.contains(.freezeContent) { try Self.freezeContent(tx, current, now: now) }
            if effects.contains(.holdPending) {
                // Their queued jobs find a newer version and do nothing; `enqueued` stays set so the sweep does
                // not queue them again: resuming re-plans and queues them.
                try tx.run("UPDATE messages SET version = version + 1, enqueued = 1, updated_at = ? WHERE campaign_id = ? AND status = 'pending'", now, id)
            }
            try WorkspaceEvents.record(tx, [(scope, "campaign.state", [
                "campaign_id": .string(id), "state": .string(transition.to.rawValue), "previous_state": .string(transition.from.rawValue),
                "reason": transition.reason.map(JSONValue.string) ?? .null,
            ])], at: now)
            return Moved(campaign: try tx.first(Campaign.self, "SELECT \(Self.columns) FROM campaigns WHERE id = ?", id)!, transition: transition)
        }
        return moved
    }

    /// What every recipient gets from here on: an email campaign's content row (made at the first start,
    /// rewritten on resume after a paused edit); an SMS campaign's pending messages take its text.
    private static func freezeContent(_ tx: SQLTransaction, _ campaign: Campaign, now: String) throws {
        let content = campaign.content
        switch campaign.channel {
        case .sms:
            try tx.run("UPDATE messages SET template_id = ?, body = ? WHERE campaign_id = ? AND status = 'pending'", content.templateID, content.body, campaign.id)
        case .email:
            // Campaign mail always carries the one-click unsubscribe (RFC 8058) and the campaign as a tag.
            let frozen = EmailContent(id: campaign.contentID ?? ResourceID.make("eml"), from: content.from ?? "", replyTo: content.replyTo,
                                      templateID: content.templateID, subject: content.subject, html: content.html, text: content.text,
                                      tags: [EmailTag(name: "campaign_id", value: campaign.id)], trackOpens: content.trackOpens,
                                      trackClicks: content.trackClicks, listUnsubscribe: true)
            if campaign.contentID != nil {
                try EmailContentStore.update(tx, frozen)
            } else {
                try EmailContentStore.insert(tx, TenantScope(workspaceID: campaign.workspaceID), frozen, now: now)
                try tx.run("UPDATE campaigns SET content_id = ? WHERE id = ?", frozen.id, campaign.id)
            }
        }
    }

    static func failures(_ tx: SQLTransaction, campaignID: String) throws -> Int {
        Int(try tx.all(CampaignStats.failuresSQL, campaignID).first?.integer("n") ?? 0)
    }

    static func notEditable(_ state: CampaignState) -> APIError {
        APIError.conflict("a \(state.rawValue) campaign cannot be changed\(state == .running ? "; pause it first" : "")", details: ["state": .string(state.rawValue)])
    }

    static let changedMeanwhile = APIError.conflict("the campaign changed meanwhile; read it again and retry")

    static func json(_ value: JSONValue) -> String {
        String(decoding: value.jsonBytes, as: UTF8.self)
    }
}
