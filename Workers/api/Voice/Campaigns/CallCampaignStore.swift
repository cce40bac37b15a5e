import OzziRuntime

/// All SQL about call campaigns and their targets. Every change records its event.
struct CallCampaignStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let select = "SELECT \(CallCampaign.selection) FROM call_campaigns"

    func create(_ scope: TenantScope, createdBy: String, _ input: CallCampaignInput) async throws -> CallCampaign {
        let id = ResourceID.make("ccmp"), now = Timestamp.now(clock)
        let sendAt = input.sendAt ?? nil
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO call_campaigns (id, workspace_id, name, number_id, context_id, context, audience, calling_window, calls_per_second,
                  max_concurrent, max_attempts, retry_delay_seconds, state, send_at, send_at_ms, run_token, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, input.name ?? "", input.numberID ?? "", input.contextID ?? nil, input.context ?? nil,
                input.audience?.json.jsonText ?? "{}", input.window?.json.jsonText ?? "{}", input.callsPerSecond ?? 1, input.maxConcurrent ?? 5,
                input.maxAttempts ?? 2, input.retryDelaySeconds ?? 3_600, sendAt?.text, sendAt?.ms, ResourceID.make("run"), createdBy, now, now)
            try WorkspaceEvents.record(tx, [(scope, "call_campaign.created", ["call_campaign_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> CallCampaign? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(CallCampaign.self)
    }

    func get(id: String) async throws -> CallCampaign? {
        try await database.prepare(Self.select + " WHERE id = ?").bind(id).first(CallCampaign.self)
    }

    /// Newest first, by keyset on (created_at, id).
    func list(_ scope: TenantScope, page: PageRequest) async throws -> [CallCampaign] {
        var conditions = ["workspace_id = ?"], values: [any SQLBindable] = [scope.workspaceID]
        if page.after != nil {
            let (at, id) = page.afterKeyAndID
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            values += [at, at, id]
        }
        return try await database.prepare(Self.select + " WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ?")
            .bind(values + [page.limit + 1]).all(CallCampaign.self)
    }

    /// Changes what `input` names; a campaign that is calling or done cannot change (409).
    func update(_ scope: TenantScope, id: String, _ input: CallCampaignInput) async throws -> CallCampaign? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx -> Bool in
            guard let current = try tx.first(CallCampaign.self, Self.select + " WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else { return false }
            guard current.lifecycle.isEditable else { throw CampaignStore.notEditable(current.lifecycle) }
            // context and context_id are one choice: giving one clears the other.
            let contextID = input.contextID ?? (input.context != nil ? nil : current.context_id)
            let context = input.context ?? (input.contextID != nil ? nil : current.context)
            let sendAt = input.sendAt ?? current.send_at.map { ($0, current.send_at_ms ?? 0) }
            guard try tx.run("""
                UPDATE call_campaigns SET name = ?, number_id = ?, context_id = ?, context = ?, audience = ?, calling_window = ?, calls_per_second = ?,
                  max_concurrent = ?, max_attempts = ?, retry_delay_seconds = ?, send_at = ?, send_at_ms = ?, updated_at = ? WHERE id = ? AND state = ?
                """, input.name ?? current.name, input.numberID ?? current.number_id, contextID, context,
                (input.audience?.json ?? current.audience).jsonText, (input.window?.json ?? current.calling_window).jsonText,
                input.callsPerSecond ?? current.calls_per_second, input.maxConcurrent ?? current.max_concurrent, input.maxAttempts ?? current.max_attempts,
                input.retryDelaySeconds ?? current.retry_delay_seconds, sendAt?.0, sendAt?.1, now, id, current.state).changes == 1 else {
                throw Self.changedMeanwhile
            }
            try WorkspaceEvents.record(tx, [(scope, "call_campaign.updated", ["call_campaign_id": .string(id)])], at: now)
            return true
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// A draft, finished or cancelled campaign (409 otherwise), with its targets; the calls stay.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> Bool in
            guard let current = try tx.first(CallCampaign.self, Self.select + " WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else { return false }
            guard current.lifecycle == .draft || current.lifecycle.isFinal else {
                throw APIError.conflict("a \(current.state) campaign cannot be deleted: cancel it first", details: ["state": .string(current.state)])
            }
            guard try tx.run("DELETE FROM call_campaigns WHERE id = ? AND state = ?", id, current.state).changes == 1 else { throw Self.changedMeanwhile }
            try tx.run("DELETE FROM call_campaign_targets WHERE campaign_id = ?", id)
            try WorkspaceEvents.record(tx, [(scope, "call_campaign.deleted", ["call_campaign_id": .string(id)])], at: now)
            return true
        }
    }

    static let changedMeanwhile = APIError.conflict("the campaign changed meanwhile: try again")

    struct Moved: Sendable {
        let campaign: CallCampaign
        let transition: CampaignMachine.Transition
    }

    /// Moves a campaign by `event` (the messaging campaigns' machine) in one transaction: its state, a new
    /// run token when a run starts, its waiting targets cancelled on cancel, and a `call_campaign.state`
    /// event. A refused move is a 409 naming the state; nil when there is no such campaign. The runner
    /// moves only the run it holds (`token`): a person's move meanwhile (a new schedule) wins.
    func move(_ scope: TenantScope?, id: String, _ event: CampaignMachine.Event, sendAt: (text: String, ms: Int64)? = nil,
              token: String? = nil) async throws -> Moved? {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        return try await database.transaction { tx -> Moved? in
            let found = try scope.map { try tx.first(CallCampaign.self, Self.select + " WHERE workspace_id = ? AND id = ?", $0.workspaceID, id) }
                ?? tx.first(CallCampaign.self, Self.select + " WHERE id = ?", id)
            guard let current = found else { return nil }
            let transition: CampaignMachine.Transition
            switch CampaignMachine.apply(event, to: current.lifecycle) {
            case .success(let next): transition = next
            case .failure(let refusal): throw APIError.conflict(refusal.message, details: ["state": .string(current.state)])
            }
            let effects = transition.effects
            let sendAt = sendAt ?? current.send_at.map { ($0, current.send_at_ms ?? nowMs) }
            if effects.contains(.armStart), sendAt == nil {
                throw APIError.conflict("the campaign has no send_at: give one to schedule it, or send it now", details: ["field": "send_at"])
            }
            if let token, token != current.run_token { throw Self.changedMeanwhile }
            let starts = effects.contains(.armStart) || effects.contains(.run)
            guard try tx.run("""
                UPDATE call_campaigns SET state = ?, state_reason = ?, send_at = ?, send_at_ms = ?, run_token = ?, run_seen_ms = ?,
                  started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END, finished_at = ?, updated_at = ?
                WHERE id = ? AND state = ? AND run_token = ?
                """, transition.to.rawValue, transition.reason, sendAt?.0, sendAt?.1, starts ? ResourceID.make("run") : current.run_token,
                       starts ? nowMs : current.run_seen_ms, transition.to.rawValue, now, transition.to.isFinal ? now : nil, now, id, current.state,
                       current.run_token).changes == 1 else {
                throw Self.changedMeanwhile
            }
            if effects.contains(.cancelPending) {
                try tx.run("UPDATE call_campaign_targets SET status = 'cancelled', updated_at = ? WHERE campaign_id = ? AND status = 'waiting'", now, id)
            }
            try WorkspaceEvents.record(tx, [(current.scope, "call_campaign.state", [
                "call_campaign_id": .string(id), "state": .string(transition.to.rawValue), "previous_state": .string(current.state),
                "reason": transition.reason.map(JSONValue.string) ?? .null,
            ])], at: now)
            return Moved(campaign: try tx.first(CallCampaign.self, Self.select + " WHERE id = ?", id)!, transition: transition)
        }
    }

    /// One campaign's contacts and where each stands, by contact id.
    func targets(_ campaign: CallCampaign, status: String?, page: PageRequest) async throws -> [CallCampaignTarget] {
        var conditions = ["campaign_id = ?"], values: [any SQLBindable] = [campaign.id]
        if let status { conditions.append("status = ?"); values.append(status) }
        if let after = page.after { conditions.append("contact_id > ?"); values.append(after) }
        return try await database.prepare("SELECT \(CallCampaignTarget.selection) FROM call_campaign_targets WHERE \(conditions.joined(separator: " AND ")) "
                                          + "ORDER BY contact_id LIMIT ?").bind(values + [page.limit + 1]).all(CallCampaignTarget.self)
    }
}
