import Logging
import OzziRuntime

/// Runs call campaigns through a chain of `CallCampaignRunJob`s. Each step, while a campaign runs:
/// 1. settles the targets whose call ended: answered is `completed`; busy or no answer waits
///    `retry_delay_seconds` for another attempt while attempts remain; anything else, or the last
///    attempt, is `failed`;
/// 2. expands the audience, 500 contacts a step (contact id order, guarded by the cursor and run token),
///    each with its `time_zone` custom field when it names a real zone;
/// 3. places at most `calls_per_second` calls, never more than `max_concurrent` at once, to waiting
///    targets that are due, in their window: a target outside its window waits for its next opening,
///    in its own zone. Calls are placed only by the holder of the campaign's placing slot
///    (`next_place_ms`, taken by compare-and-set with the run token), who moves it a second past its
///    last call: whatever chains, retries or restarts run, any second holds one slot's calls at most;
/// 4. finishes the campaign when it is expanded and nobody waits or is on a call.
/// The every-minute maintenance restarts a chain that stopped and settles the calls of paused and
/// cancelled campaigns.
struct CallCampaignRunner: Sendable {
    let campaigns: CallCampaignStore
    let calls: OutboundCalls
    let jobs: any QueueProducer
    let events: WorkspaceEvents
    let logger: Logger

    static let batchSize = 500
    static let stepMs: Int64 = 1_000
    /// The longest a step waits when nothing is due sooner (a campaign waiting hours for its window).
    static let idleMs: Int64 = 60_000
    static let stallMs: Int64 = 180_000
    /// A call with no end reported this long is given up (its status callback was lost).
    static let lostCallMs: Int64 = 4 * 3_600_000
    /// A call the provider refused for a passing reason is tried again this much later.
    static let placeRetryMs: Int64 = 60_000
    /// How long a placing slot is held before another may take it (its holder died mid-step).
    static let slotLeaseMs: Int64 = 120_000

    private var database: any SQLDatabase { campaigns.database }
    private var clock: any WallClock { campaigns.clock }

    /// Starts a chain when a transition asks for one.
    func after(_ moved: CallCampaignStore.Moved) async throws {
        let campaign = moved.campaign, effects = moved.transition.effects
        if effects.contains(.armStart) {
            try await queue(campaign, afterMs: (campaign.send_at_ms ?? 0) - clock.milliseconds)
        } else if effects.contains(.run) {
            try await queue(campaign, afterMs: 0)
        }
        events.flushSoon()
    }

    private func queue(_ campaign: CallCampaign, afterMs: Int64) async throws {
        try await jobs.send(CallCampaignRunJob(campaignID: campaign.id, token: campaign.run_token).json,
                            delaySeconds: Double(min(DeliveryQueue.horizonMs, max(0, afterMs))) / 1_000)
    }

    func run(_ job: CallCampaignRunJob) async throws {
        guard let campaign = try await campaigns.get(id: job.campaignID), campaign.run_token == job.token else { return }
        switch campaign.lifecycle {
        case .scheduled:
            let wait = (campaign.send_at_ms ?? 0) - clock.milliseconds
            if wait > 0 { return try await queue(campaign, afterMs: wait) }
            try await move(campaign, .start)
        case .running:
            try await step(campaign)
        case .draft, .paused, .finished, .cancelled:
            return
        }
    }

    /// A transition the runner found due; one a person made meanwhile wins.
    private func move(_ campaign: CallCampaign, _ event: CampaignMachine.Event) async throws {
        do {
            if let moved = try await campaigns.move(nil, id: campaign.id, event, token: campaign.run_token) { try await after(moved) }
        } catch let error as APIError where error.status == 409 {
            logger.debug("call campaign transition overtaken", metadata: ["call_campaign_id": "\(campaign.id)", "event": "\(event.name)"])
        }
    }

    private func step(_ start: CallCampaign) async throws {
        guard let window = start.window else {
            logger.error("a call campaign's window is unreadable", metadata: ["call_campaign_id": "\(start.id)"])
            return
        }
        try await settle(start)
        var campaign = start
        if !campaign.expanded {
            // A campaign another chain took over meanwhile (a resume, a restart) is that chain's: the guards
            // below, and the next step, use the campaign's token.
            guard let expanded = try await expand(campaign), expanded.run_token == start.run_token else { return }
            campaign = expanded
        }
        let nextDue = try await place(campaign, window: window)
        let stats = try await CallCampaignStats.count(database, campaignID: campaign.id)
        if campaign.expanded, stats.waiting + stats.calling == 0 {
            try await move(campaign, .finish)
            events.flushSoon()
            return
        }
        guard try await database.prepare("UPDATE call_campaigns SET run_seen_ms = ? WHERE id = ? AND run_token = ?")
            .bind(clock.milliseconds, campaign.id, campaign.run_token).run().changes == 1 else { return }
        events.flushSoon()
        // A second after this step while calls are live or due; otherwise when the next one is due.
        let wait = stats.calling > 0 || !campaign.expanded ? Self.stepMs : min(Self.idleMs, max(Self.stepMs, (nextDue ?? Int64.max) - clock.milliseconds))
        try await queue(campaign, afterMs: wait)
    }

    // MARK: - Settling ended calls

    /// The targets whose call has ended take its outcome.
    func settle(_ campaign: CallCampaign) async throws {
        let nowMs = clock.milliseconds, now = Timestamp.now(clock)
        let ended = try await database.prepare("""
            SELECT t.contact_id, t.attempts, c.status FROM call_campaign_targets t JOIN calls c ON c.id = t.call_id
            WHERE t.campaign_id = ? AND t.status = 'calling' AND c.ended_at IS NOT NULL LIMIT 500
            """).bind(campaign.id).all()
        let lost = try await database.prepare("""
            SELECT contact_id FROM call_campaign_targets WHERE campaign_id = ? AND status = 'calling' AND updated_at < ? LIMIT 100
            """).bind(campaign.id, Timestamp.at(milliseconds: nowMs - Self.lostCallMs)).all()
        guard !ended.isEmpty || !lost.isEmpty else { return }
        try await database.transaction { tx in
            for row in ended {
                guard let contact = row.text("contact_id"), let status = row.text("status") else { continue }
                let attempts = Int(row.integer("attempts") ?? 0)
                let retry = ["busy", "no-answer"].contains(status) && attempts < campaign.max_attempts && !campaign.lifecycle.isFinal
                let next = status == "completed" ? "completed" : retry ? "waiting" : "failed"
                try tx.run("""
                    UPDATE call_campaign_targets SET status = ?, last_call_status = ?, next_attempt_ms = ?, updated_at = ?
                    WHERE campaign_id = ? AND contact_id = ? AND status = 'calling'
                    """, next, status, nowMs + Int64(campaign.retry_delay_seconds) * 1_000, now, campaign.id, contact)
            }
            for row in lost {
                guard let contact = row.text("contact_id") else { continue }
                try tx.run("""
                    UPDATE call_campaign_targets SET status = 'failed', error = 'no end was reported for the call', updated_at = ?
                    WHERE campaign_id = ? AND contact_id = ? AND status = 'calling'
                    """, now, campaign.id, contact)
            }
        }
    }

    // MARK: - Expanding the audience

    private struct Overtaken: Error {}

    /// The next 500 contacts of the audience as waiting targets; the campaign after it, or nil when it
    /// moved meanwhile.
    private func expand(_ campaign: CallCampaign) async throws -> CallCampaign? {
        let audience = try CampaignAudience(json: campaign.audience)
        let (conditions, values) = try audience.conditions(.sms, database.dialect)
        let nowMs = clock.milliseconds, now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                let contacts = try tx.execute("""
                    SELECT c.id, c.phone, c.custom_fields FROM contacts c WHERE c.workspace_id = ? AND c.id > ? AND \(conditions.joined(separator: " AND "))
                    ORDER BY c.id LIMIT ?
                    """, ([campaign.workspace_id, campaign.expand_cursor] + values + [Self.batchSize]).map(\.sqlValue)).rows
                let cursor = contacts.last?.text("id") ?? campaign.expand_cursor
                guard try tx.run("""
                    UPDATE call_campaigns SET expand_cursor = ?, expanded = ?, updated_at = ? WHERE id = ? AND expand_cursor = ? AND run_token = ? AND state = 'running'
                    """, cursor, contacts.count < Self.batchSize, now, campaign.id, campaign.expand_cursor, campaign.run_token).changes == 1 else {
                    throw Overtaken()
                }
                for contact in contacts {
                    guard let id = contact.text("id"), let phone = contact.text("phone") else { continue }
                    let custom = contact.text("custom_fields").flatMap { try? JSONValue(jsonBytes: Array($0.utf8)) }
                    let zone = custom?["time_zone"]?.stringValue.flatMap { TimeZoneName.isKnown($0) ? $0 : nil }
                    try tx.run("""
                        INSERT INTO call_campaign_targets (campaign_id, contact_id, workspace_id, phone, time_zone, status, attempts, next_attempt_ms, updated_at)
                        VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?, ?) ON CONFLICT (campaign_id, contact_id) DO NOTHING
                        """, campaign.id, id, campaign.workspace_id, phone, zone, nowMs, now)
                }
            }
        } catch is Overtaken {
            return nil
        }
        return try await campaigns.get(id: campaign.id)
    }

    // MARK: - Placing calls

    /// Calls up to this step's share of waiting, due targets in their window, holding the placing slot;
    /// the earliest time a waiting target is due next (for the step's wait), or nil when none waits.
    private func place(_ campaign: CallCampaign, window: BusinessHours) async throws -> Int64? {
        let nowMs = clock.milliseconds, lease = nowMs + Self.slotLeaseMs
        if try await database.prepare("""
            UPDATE call_campaigns SET next_place_ms = ?, run_seen_ms = ? WHERE id = ? AND run_token = ? AND state = 'running' AND next_place_ms <= ?
            """).bind(lease, nowMs, campaign.id, campaign.run_token, nowMs).run().changes == 1 {
            try await placeInSlot(campaign, window: window, now: nowMs)
            // The next slot a second after the last call went out.
            try await database.prepare("UPDATE call_campaigns SET next_place_ms = ? WHERE id = ? AND next_place_ms = ?")
                .bind(clock.milliseconds + 1_000, campaign.id, lease).run()
        }
        return try await database.prepare("SELECT min(next_attempt_ms) AS due FROM call_campaign_targets WHERE campaign_id = ? AND status = 'waiting'")
            .bind(campaign.id).first()?.integer("due")
    }

    private func placeInSlot(_ campaign: CallCampaign, window: BusinessHours, now nowMs: Int64) async throws {
        let calling = try await CallCampaignStats.count(database, campaignID: campaign.id).calling
        var slots = min(campaign.calls_per_second, campaign.max_concurrent - calling)
        guard slots > 0 else { return }
        let due = try await database.prepare("""
            SELECT \(CallCampaignTarget.selection) FROM call_campaign_targets WHERE campaign_id = ? AND status = 'waiting' AND next_attempt_ms <= ?
            ORDER BY next_attempt_ms, contact_id LIMIT 200
            """).bind(campaign.id, nowMs).all(CallCampaignTarget.self)
        for target in due where slots > 0 {
            let zone = target.time_zone ?? window.timeZone
            guard window.isOpen(atMilliseconds: nowMs, in: zone) else {
                // Outside its window: it waits for the window's next opening in its own zone.
                let opens = window.nextOpen(atOrAfterMilliseconds: nowMs, in: zone) ?? nowMs + 7 * 86_400_000
                try await database.prepare("UPDATE call_campaign_targets SET next_attempt_ms = ? WHERE campaign_id = ? AND contact_id = ? AND status = 'waiting'")
                    .bind(opens, campaign.id, target.contact_id).run()
                continue
            }
            switch try await call(campaign, target) {
            case .placed: slots -= 1
            case .skipped: continue
            case .stop: return
            }
        }
    }

    private enum Placement { case placed, skipped, stop }

    /// One call to `target`, claimed first: only while this run holds the campaign, and only to a contact
    /// who is still there, with the same number, and has not opted out since the audience was expanded.
    private func call(_ campaign: CallCampaign, _ target: CallCampaignTarget) async throws -> Placement {
        let now = Timestamp.now(clock)
        guard try await database.prepare("""
            UPDATE call_campaign_targets SET status = 'calling', attempts = attempts + 1, call_id = NULL, error = NULL, updated_at = ?
            WHERE campaign_id = ? AND contact_id = ? AND status = 'waiting'
              AND EXISTS (SELECT 1 FROM call_campaigns WHERE id = ? AND run_token = ? AND state = 'running')
              AND EXISTS (SELECT 1 FROM contacts WHERE workspace_id = ? AND id = ? AND phone = ? AND sms_consent <> 'opted_out')
            """).bind(now, campaign.id, target.contact_id, campaign.id, campaign.run_token, campaign.workspace_id, target.contact_id, target.phone)
            .run().changes == 1 else {
            guard try await database.prepare("SELECT 1 AS held FROM call_campaigns WHERE id = ? AND run_token = ? AND state = 'running'")
                .bind(campaign.id, campaign.run_token).first() != nil else { return .stop }
            try await database.prepare("""
                UPDATE call_campaign_targets SET status = 'cancelled', error = 'the contact was deleted, changed its number or opted out', updated_at = ?
                WHERE campaign_id = ? AND contact_id = ? AND status = 'waiting'
                """).bind(now, campaign.id, target.contact_id).run()
            return .skipped
        }
        try await database.prepare("UPDATE call_campaigns SET run_seen_ms = ? WHERE id = ?").bind(clock.milliseconds, campaign.id).run()
        var body: [String: JSONValue] = ["number_id": .string(campaign.number_id), "to": .string(target.phone)]
        if let id = campaign.context_id { body["context_id"] = .string(id) } else if let text = campaign.context { body["context"] = .string(text) }
        do {
            let placed = try await calls.place(campaign.scope, JSONBody(fields: body))
            try await database.prepare("UPDATE call_campaign_targets SET call_id = ?, updated_at = ? WHERE campaign_id = ? AND contact_id = ?")
                .bind(placed.id, Timestamp.now(clock), campaign.id, target.contact_id).run()
        } catch {
            // A refusal about this contact (a bad number) fails it; anything else is tried again later, unless
            // the campaign was cancelled meanwhile.
            let final = (error as? APIError).map { (400..<500).contains($0.status) && $0.status != 409 && $0.status != 429 } ?? false
            let next = final || target.attempts + 1 >= campaign.max_attempts ? "failed" : "waiting"
            logger.warning("a campaign call could not be placed", metadata: ["call_campaign_id": "\(campaign.id)", "contact_id": "\(target.contact_id)",
                                                                             "error": "\(error)"])
            try await database.prepare("""
                UPDATE call_campaign_targets SET
                  status = CASE WHEN EXISTS (SELECT 1 FROM call_campaigns WHERE id = ? AND state = 'cancelled') THEN 'cancelled' ELSE ? END,
                  error = ?, next_attempt_ms = ?, updated_at = ? WHERE campaign_id = ? AND contact_id = ? AND status = 'calling'
                """).bind(campaign.id, next, String("\(error)".prefix(500)), clock.milliseconds + Self.placeRetryMs, Timestamp.now(clock),
                          campaign.id, target.contact_id).run()
        }
        return .placed
    }

    // MARK: - Maintenance

    /// Restarts a running chain that went silent; settles the calls of campaigns no longer running.
    func maintain() async throws {
        let nowMs = clock.milliseconds
        let stalled = try await database.prepare(CallCampaignStore.select + " WHERE state = 'running' AND run_seen_ms < ? LIMIT 100")
            .bind(nowMs - Self.stallMs).all(CallCampaign.self)
        for campaign in stalled {
            // A new token, so the old chain, should it wake after all, stops: one chain places calls.
            let token = ResourceID.make("run")
            guard try await database.prepare("UPDATE call_campaigns SET run_token = ?, run_seen_ms = ? WHERE id = ? AND run_token = ? AND state = 'running'")
                .bind(token, nowMs, campaign.id, campaign.run_token).run().changes == 1 else { continue }
            logger.info("restarting a stalled call campaign chain", metadata: ["call_campaign_id": "\(campaign.id)"])
            try await jobs.send(CallCampaignRunJob(campaignID: campaign.id, token: token).json)
        }
        // A scheduled campaign whose start was lost (its job with it) starts now.
        let late = try await database.prepare(CallCampaignStore.select + " WHERE state = 'scheduled' AND send_at_ms < ? AND run_seen_ms < ? LIMIT 100")
            .bind(nowMs - Self.stallMs, nowMs - Self.stallMs).all(CallCampaign.self)
        for campaign in late {
            try await database.prepare("UPDATE call_campaigns SET run_seen_ms = ? WHERE id = ? AND run_token = ?").bind(nowMs, campaign.id, campaign.run_token).run()
            try await queue(campaign, afterMs: 0)
        }
        let idle = try await database.prepare(CallCampaignStore.select + """
             WHERE state IN ('paused', 'cancelled') AND EXISTS (SELECT 1 FROM call_campaign_targets t WHERE t.campaign_id = call_campaigns.id AND t.status = 'calling')
             LIMIT 100
            """).all(CallCampaign.self)
        for campaign in idle { try await settle(campaign) }
    }
}
