import Logging
import OzziRuntime

/// Runs campaigns through a chain of `CampaignRunJob`s, one step a second while a campaign runs:
/// - a scheduled campaign starts when its `send_at` comes;
/// - after a resume, its pending messages get new due times from now at the throttle, 500 at a time;
/// - its audience is expanded 500 contacts at a time (contact id order), each batch's messages inserted
///   and the cursor and pace advanced in ONE transaction, guarded by the cursor and the run token (and by
///   the unique index on (campaign_id, contact_id)): a crash or a duplicate step neither skips nor
///   repeats anyone. Expansion stays within `aheadMs` of the pace, so a slow campaign of 100,000 does
///   not make its rows hours before they are due;
/// - it auto-pauses at its error threshold, finishes when expanded with nothing pending or sending, and
///   publishes `campaign.progress` (at most once a second, when the numbers changed).
/// The every-minute maintenance restarts a chain that stopped (a lost job) and cancels what a crash
/// left pending in a cancelled campaign.
struct CampaignRunner: Sendable {
    let campaigns: CampaignStore
    let messages: MessageStore
    let deliveryQueue: DeliveryQueue
    let jobs: any QueueProducer
    let events: WorkspaceEvents
    let logger: Logger
    /// How far ahead of the pace expansion may run (`CAMPAIGN_EXPAND_AHEAD_SECONDS`).
    let aheadMs: Int64
    static let batchSize = 500
    /// Batches (expansion or re-planning) per step before the step hands on to the next (other jobs wait
    /// their turn on the queue meanwhile).
    static let batchesPerStep = 20
    static let stepMs: Int64 = 1000
    /// A running chain silent this long has stopped; maintenance starts another.
    static let stallMs: Int64 = 60_000

    private var database: any SQLDatabase { campaigns.database }
    private var clock: any WallClock { campaigns.clock }

    // MARK: - After a transition

    /// Does what a transition asked for outside its transaction: cancels pending messages, starts a chain.
    func after(_ moved: CampaignStore.Moved) async throws {
        let campaign = moved.campaign
        let effects = moved.transition.effects
        if effects.contains(.cancelPending) { try await cancelPending(campaign) }
        if effects.contains(.armStart) {
            try await queue(CampaignRunJob(campaignID: campaign.id, token: campaign.runToken), afterMs: (campaign.sendAtMs ?? 0) - clock.milliseconds)
        } else if effects.contains(.run) {
            try await queue(CampaignRunJob(campaignID: campaign.id, token: campaign.runToken), afterMs: 0)
        }
        events.flushSoon()
    }

    private func queue(_ job: CampaignRunJob, afterMs: Int64) async throws {
        try await jobs.send(job.json, delaySeconds: Double(min(DeliveryQueue.horizonMs, max(0, afterMs))) / 1000)
    }

    private func cancelPending(_ campaign: Campaign) async throws {
        var filter = MessageFilter(ids: [])
        filter.ids = nil
        filter.campaign = campaign.id
        while try await messages.cancel(campaign.scope, filter).count == 10_000 {}
    }

    // MARK: - A step

    func run(_ job: CampaignRunJob) async throws {
        guard let campaign = try await campaigns.get(id: job.campaignID), campaign.runToken == job.token else { return }
        switch campaign.state {
        case .scheduled:
            let wait = (campaign.sendAtMs ?? 0) - clock.milliseconds
            if wait > 0 { return try await queue(job, afterMs: wait) }
            try await move(campaign, .start)
        case .running:
            try await step(campaign, job)
        case .draft, .paused, .finished, .cancelled:
            return
        }
    }

    /// A transition the runner found due; one a person made meanwhile wins (the 409 is dropped).
    private func move(_ campaign: Campaign, _ event: CampaignMachine.Event) async throws {
        do {
            if let moved = try await campaigns.move(campaign.scope, id: campaign.id, event) { try await after(moved) }
        } catch let error as APIError where error.status == 409 {
            logger.debug("campaign transition overtaken", metadata: ["campaign_id": "\(campaign.id)", "event": "\(event.name)"])
        }
    }

    private func step(_ start: Campaign, _ job: CampaignRunJob) async throws {
        var campaign = start
        let failures = try await CampaignStats.failures(database, campaignID: campaign.id) - campaign.failuresAtResume
        if failures >= campaign.errorThreshold {
            try await move(campaign, .autoPause(failures: failures, threshold: campaign.errorThreshold))
            return try await publishProgress(campaign.id, force: true)
        }
        let pacing = CampaignPacing(perSecond: campaign.throttlePerSecond, aheadMs: aheadMs)
        var batches = 0
        while batches < Self.batchesPerStep {
            let next: Campaign?
            if campaign.replanCursor != nil {
                next = try await replanBatch(campaign, pacing)
            } else if !campaign.expanded, pacing.mayExpand(nextDueMs: campaign.nextDueMs, now: clock.milliseconds) {
                next = try await expandBatch(campaign, pacing)
            } else {
                break
            }
            // Another step or a transition moved the campaign meanwhile, or another chain took it over (the
            // batches' guards use the campaign's token, so it must stay this job's): this chain is done.
            guard let next, next.runToken == job.token else { return }
            campaign = next
            batches += 1
        }
        let stats = try await CampaignStats.count(database, campaign)
        if campaign.expanded, campaign.replanCursor == nil, stats.pending == 0 {
            try await move(campaign, .finish)
            return try await publishProgress(campaign.id, force: true)
        }
        guard try await database.prepare("UPDATE campaigns SET run_seen_ms = ? WHERE id = ? AND run_token = ?")
            .bind(clock.milliseconds, campaign.id, job.token).run().changes == 1 else { return }
        try await publishProgress(campaign, stats, force: false)
        try await queue(job, afterMs: batches == Self.batchesPerStep ? 0 : Self.stepMs)
    }

    /// The rollback of a batch whose campaign moved meanwhile.
    private struct Overtaken: Error {}

    /// Expands the next batch of the audience; the campaign after it, or nil when it moved meanwhile.
    private func expandBatch(_ campaign: Campaign, _ pacing: CampaignPacing) async throws -> Campaign? {
        let (conditions, values) = try campaign.audience.conditions(campaign.channel, database.dialect)
        let nowMs = clock.milliseconds, now = Timestamp.now(clock)
        let emailAddress = campaign.channel == .email
        let contentID = campaign.contentID
        let rows: [MessageStore.NewMessage]
        do {
            rows = try await database.transaction { tx -> [MessageStore.NewMessage] in
                let contacts = try tx.execute("""
                    SELECT c.id, c.phone, c.email FROM contacts c WHERE c.workspace_id = ? AND c.id > ? AND \(conditions.joined(separator: " AND "))
                    ORDER BY c.id LIMIT ?
                    """, ([campaign.workspaceID, campaign.cursor] + values + [Self.batchSize]).map(\.sqlValue)).rows
                let plan = pacing.plan(count: contacts.count, nextDueMs: campaign.nextDueMs, now: nowMs)
                let cursor = contacts.last?.text("id") ?? campaign.cursor
                guard try tx.run("""
                    UPDATE campaigns SET expand_cursor = ?, expanded = ?, recipients = recipients + ?, next_due_ms = ?, run_seen_ms = ?, updated_at = ?
                    WHERE id = ? AND expand_cursor = ? AND run_token = ? AND state = 'running' AND replan_cursor IS NULL
                    """, cursor, contacts.count < Self.batchSize, contacts.count, plan.next, nowMs, now,
                             campaign.id, campaign.cursor, campaign.runToken).changes == 1 else { throw Overtaken() }
                let rows = zip(contacts, plan.due).map { contact, due in
                    var row = MessageStore.NewMessage(
                        id: ResourceID.make("msg"), contactID: contact.text("id"), to: (emailAddress ? contact.text("email") : contact.text("phone")) ?? "",
                        templateID: campaign.content.templateID, body: campaign.content.body, scheduledAt: Timestamp.at(milliseconds: due), dueMs: due,
                        timeZone: nil, category: "campaign", campaign: campaign.id)
                    row.channel = campaign.channel
                    row.contentID = contentID
                    row.campaignID = campaign.id
                    return row
                }
                if !rows.isEmpty { try MessageStore.insert(tx, campaign.scope, createdBy: campaign.createdBy, rows, now: now) }
                return rows
            }
        } catch is Overtaken {
            return nil
        }
        try await deliveryQueue.enqueue(rows.map { (DeliveryJob(messageID: $0.id, version: 1), $0.dueMs) })
        return try await campaigns.get(id: campaign.id)
    }

    /// Gives the next 500 pending messages (contact id order) new due times at the pace from now, with new
    /// versions, and queues them; the campaign after it, or nil when it moved meanwhile.
    private func replanBatch(_ campaign: Campaign, _ pacing: CampaignPacing) async throws -> Campaign? {
        let nowMs = clock.milliseconds, now = Timestamp.now(clock)
        let after = campaign.replanCursor ?? ""
        let jobs: [(job: DeliveryJob, dueMs: Int64)]
        do {
            jobs = try await database.transaction { tx -> [(job: DeliveryJob, dueMs: Int64)] in
                let pending = try tx.all("""
                    SELECT id, contact_id FROM messages WHERE campaign_id = ? AND contact_id > ? AND status = 'pending' ORDER BY contact_id LIMIT ?
                    """, campaign.id, after, Self.batchSize)
                let plan = pacing.plan(count: pending.count, nextDueMs: campaign.nextDueMs, now: nowMs)
                let done = pending.count < Self.batchSize
                guard try tx.run("""
                    UPDATE campaigns SET replan_cursor = ?, next_due_ms = ?, run_seen_ms = ?, updated_at = ?
                    WHERE id = ? AND replan_cursor = ? AND run_token = ? AND state = 'running'
                    """, done ? nil : pending.last?.text("contact_id"), plan.next, nowMs, now, campaign.id, after, campaign.runToken).changes == 1 else {
                    throw Overtaken()
                }
                let ids = pending.compactMap { $0.text("id") }
                let list = SQLList.json(zip(ids, plan.due).map { id, due in JSONValue.array([.string(id), .number(Double(due)), .string(Timestamp.at(milliseconds: due))]) })
                try tx.run("""
                    UPDATE messages SET due_ms = r.due_ms, scheduled_at = r.scheduled_at, version = version + 1, enqueued = 0, updated_at = ?
                    FROM (SELECT value ->> 0 AS id, CAST(value ->> 1 AS BIGINT) AS due_ms, value ->> 2 AS scheduled_at FROM \(tx.dialect.records())) AS r
                    WHERE messages.id = r.id AND messages.status = 'pending'
                    """, now, list)
                return try tx.all("""
                    SELECT id, version, due_ms FROM messages WHERE id IN (SELECT value FROM \(tx.dialect.elements())) AND status = 'pending'
                    """, SQLList.json(ids)).compactMap { row in
                    guard let id = row.text("id"), let version = row.integer("version"), let due = row.integer("due_ms") else { return nil }
                    return (DeliveryJob(messageID: id, version: Int(version)), due)
                }
            }
        } catch is Overtaken {
            return nil
        }
        try await deliveryQueue.enqueue(jobs)
        return try await campaigns.get(id: campaign.id)
    }

    // MARK: - Progress

    private func publishProgress(_ id: String, force: Bool) async throws {
        guard let campaign = try await campaigns.get(id: id) else { return }
        try await publishProgress(campaign, try await CampaignStats.count(database, campaign), force: force)
    }

    /// `campaign.progress` with the numbers, when they changed, at most once a second (`force`: at a
    /// state change, whatever the time).
    private func publishProgress(_ campaign: Campaign, _ stats: CampaignStats, force: Bool) async throws {
        let nowMs = clock.milliseconds
        let numbers = CampaignStore.json(stats.json)
        guard numbers != campaign.progress, force || nowMs - campaign.progressMs >= 1000 else { return }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("UPDATE campaigns SET progress = ?, progress_ms = ? WHERE id = ?", numbers, nowMs, campaign.id)
            try WorkspaceEvents.record(tx, [(campaign.scope, "campaign.progress", [
                "campaign_id": .string(campaign.id), "state": .string(campaign.state.rawValue), "expanded": .bool(campaign.expanded), "stats": stats.json,
            ])], at: now)
        }
        events.flushSoon()
    }

    // MARK: - Maintenance

    /// Restarts chains that stopped (a running campaign silent for `stallMs`, a scheduled one `stallMs`
    /// past its `send_at`), and cancels what a crash left pending in cancelled campaigns.
    func maintain() async throws {
        let nowMs = clock.milliseconds
        let stalled = try await database.prepare("""
            SELECT id, run_token FROM campaigns
            WHERE (state = 'running' AND run_seen_ms < ?) OR (state = 'scheduled' AND send_at_ms < ? AND run_seen_ms < ?)
            """).bind(nowMs - Self.stallMs, nowMs - Self.stallMs, nowMs - Self.stallMs).all()
        for row in stalled {
            guard let id = row.text("id"), let old = row.text("run_token") else { continue }
            let token = ResourceID.make("run")
            guard try await database.prepare("UPDATE campaigns SET run_token = ?, run_seen_ms = ? WHERE id = ? AND run_token = ?")
                .bind(token, nowMs, id, old).run().changes == 1 else { continue }
            logger.notice("restarted a stalled campaign run", metadata: ["campaign_id": "\(id)"])
            try await queue(CampaignRunJob(campaignID: id, token: token), afterMs: 0)
        }
        let cancelled = try await database.prepare("""
            SELECT \(CampaignStore.columns) FROM campaigns
            WHERE state = 'cancelled' AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = campaigns.id AND m.status = 'pending')
            """).all(Campaign.self)
        for campaign in cancelled { try await cancelPending(campaign) }
        if !cancelled.isEmpty { events.flushSoon() }
    }
}

extension CampaignStats {
    var json: JSONValue {
        .object([
            "recipients": .number(Double(recipients)), "pending": .number(Double(pending)), "sent": .number(Double(sent)),
            "delivered": .number(Double(delivered)), "failed": .number(Double(failed)), "bounced": .number(Double(bounced)),
            "opened": .number(Double(opened)), "clicked": .number(Double(clicked)), "unsubscribed": .number(Double(unsubscribed)),
            "complained": .number(Double(complained)), "canceled": .number(Double(canceled)), "review": .number(Double(review)),
        ])
    }
}
