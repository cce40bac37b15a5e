import Logging
import OzziRuntime
import Synchronization

/// Delivers due messages: checks, rate limits, a durable claim, the provider call, and the result — each
/// message sent at most once.
///
/// A queue batch is read, checked and claimed (`sending`, under this host's id) in one transaction, then
/// handed to the `SendPipeline` and acknowledged: the calls run many at once, bounded per provider account
/// and per host, while the consumer takes the next batch. Just before its call a send is marked
/// `dispatched`. What a stopped host left `sending` is settled by `recover`: never dispatched, it is sent
/// again at once; dispatched, the provider may have taken it, so it goes to `review`, never retried on its own.
/// Hosts sharing the database each claim under their own id (`DeliveryHosts`): a host settles only the
/// claims of hosts that stopped, never those of a host still sending; and a host calls, and records the
/// result of, only a claim that is still its own (same host, same message version).
final class DeliveryEngine: Sendable {
    let messages: MessageStore
    let queue: DeliveryQueue
    let providers: SMSProviders
    let email: EmailChannel
    let limiter: RateLimiter
    let limits: SendLimits
    let events: WorkspaceEvents
    let logger: Logger
    let metrics: DeliveryMetrics
    let hosts: DeliveryHosts
    private let pipeline = Mutex<SendPipeline?>(nil)
    /// Whether this process has settled what an earlier one left `sending`.
    private let recovered = Mutex(false)

    init(messages: MessageStore, queue: DeliveryQueue, providers: SMSProviders, email: EmailChannel, limiter: RateLimiter, limits: SendLimits,
         events: WorkspaceEvents, hosts: DeliveryHosts, logger: Logger, metrics: DeliveryMetrics) {
        self.email = email
        self.metrics = metrics
        self.hosts = hosts
        self.messages = messages
        self.queue = queue
        self.providers = providers
        self.limiter = limiter
        self.limits = limits
        self.events = events
        self.logger = logger
    }

    /// Built on first use: its record step calls back into the engine.
    var sends: SendPipeline {
        pipeline.withLock { pipeline in
            if let pipeline { return pipeline }
            let made = SendPipeline(limits: limits, database: database, host: hosts.id, metrics: metrics,
                                    logger: logger) { [unowned self] results in try await record(results) }
            pipeline = made
            return made
        }
    }

    private var database: any SQLDatabase { messages.database }
    private var clock: any WallClock { messages.clock }

    /// What was decided for one message before any provider call.
    private enum Plan {
        /// `text` is what `sent_text` records: an SMS's text, an email's subject.
        case send(MessageStore.Due, text: String, outgoing: Outgoing, account: String)
        case fail(MessageStore.Due, code: String, reason: String)
    }

    /// A queue batch: checks, claims and hands the sends to the pipeline; returns once they are claimed.
    func deliver(_ jobs: [DeliveryJob]) async throws {
        try await recoverOnce()
        let sends = self.sends
        var orphans: [MessageStore.Due] = []
        // Jobs sent back for later (not due yet, a rate-limit slot ahead, an account far behind): one queue
        // write for the batch's lot.
        var deferred: [(job: DeliveryJob, byMs: Int64)] = []
        let due = Dictionary(try await messages.due(jobs.map(\.messageID)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let emails = try await email.batch(due.values.filter { $0.channel == .email && $0.status == .pending })
        var plans: [Plan] = []
        var settings: [String: SMSSettings] = [:]
        let now = clock.milliseconds
        for job in jobs {
            guard let message = due[job.messageID], message.version == job.version else { continue }  // gone, or a stale job
            var workspace: SMSSettings?
            if message.channel == .sms {
                if let known = settings[message.scope.workspaceID] {
                    workspace = known
                } else {
                    workspace = try await providers.settings.get(message.scope)
                    settings[message.scope.workspaceID] = workspace
                }
                // Outside services lease these through the delivery API (a leased one is `sending`, not ours).
                if workspace?.provider == "external" { continue }
            }
            if message.status == .sending {
                // Ours while the pipeline holds it; otherwise a stopped host left it.
                if !sends.owns(message.id) { orphans.append(message) }
                continue
            }
            guard message.status == .pending else { continue }
            // Not due yet: a 12-hour hop of a message due later, or a job of an earlier schedule.
            if message.dueMs > now {
                deferred.append((job, message.dueMs - now))
                continue
            }
            // What this message goes out as, decided before its slot and its rate are taken.
            let prepared: Result<(text: String, outgoing: Outgoing, account: String), APIError>
            if let workspace {
                if message.contact?.sms_consent.status == "opted_out" {
                    plans.append(.fail(message, code: "opted_out", reason: "the contact opted out of SMS"))
                    continue
                }
                // A message that cannot be rendered, or a workspace whose provider is not set up, fails that
                // message alone, not the batch.
                prepared = Result {
                    let text = try Self.render(message).get()
                    let sms = OutgoingSMS(messageID: message.id, to: message.to, from: workspace.fromNumber,
                                          messagingServiceSid: workspace.messagingServiceSid, body: text, statusCallback: providers.statusCallbackURL)
                    return (text, .sms(sms, try providers.provider(for: workspace)), Self.account(workspace, message.scope))
                }.mapError { $0 as? APIError ?? APIError(status: 422, code: "sms_not_configured", message: "\($0)") }
            } else {
                prepared = email.prepare(message, in: emails).map { ($0.email.subject, .email($0.email, $0.provider), $0.account) }
            }
            let plan: (text: String, outgoing: Outgoing, account: String)
            switch prepared {
            case .success(let ready): plan = ready
            case .failure(let failure):
                plans.append(.fail(message, code: failure.code, reason: failure.message))
                continue
            }
            let account = plan.account
            // An account far behind (a slow or stalled provider) takes no more claims for now: its jobs
            // wait in the queue, so memory stays bounded and other accounts' sends are not held up.
            if sends.backlog(account, message.channel) >= limits.inFlight(message.channel).backlogPerAccount {
                deferred.append((job, 250))
                continue
            }
            if !job.reserved {
                let rates = limits.rates(message.channel)
                let wait = max(try await limiter.reserve(rates.workspace, message.scope.workspaceID),
                               try await limiter.reserve(rates.user, message.createdBy))
                if wait > 0 {
                    deferred.append((DeliveryJob(messageID: message.id, version: message.version, reserved: true), wait))
                    continue
                }
            }
            plans.append(.send(message, text: plan.text, outgoing: plan.outgoing, account: account))
        }
        try await queue.later(deferred)
        if !orphans.isEmpty { try await settle(orphans.map { ($0.id, $0.version) }) }
        guard !plans.isEmpty else { return }
        sends.submit(try await claim(plans).map { claimed in
            (claimed.account, SendPipeline.Send(message: claimed.message, outgoing: claimed.outgoing))
        })
    }

    /// The provider account a send goes through: slots are shared per account. The simulated provider
    /// counts as one account per workspace.
    static func account(_ settings: SMSSettings, _ scope: TenantScope) -> String {
        settings.provider == "twilio" ? "twilio:" + (settings.accountSid ?? "") : "\(settings.provider):" + scope.workspaceID
    }

    /// The text to send: the template (or custom text) rendered for the contact now.
    static func render(_ message: MessageStore.Due) -> Result<String, APIError> {
        let source: String
        if let templateID = message.templateID {
            guard let body = message.templateBody else {
                return .failure(APIError(status: 422, code: "template_deleted", message: "template \(templateID) was deleted"))
            }
            source = body
        } else {
            source = message.body ?? ""
        }
        guard let text = try? TemplateText(source) else {
            return .failure(APIError(status: 422, code: "template_invalid", message: "the text has variables that cannot be filled"))
        }
        let rendered = message.contact.map(text.render) ?? text.parts.map { if case .literal(let s) = $0 { s } else { "" } }.joined()
        guard !rendered.isEmpty else { return .failure(APIError(status: 422, code: "empty_body", message: "the rendered text is empty")) }
        return .success(rendered)
    }

    /// One transaction: claims the sends (`sending`; the attempt's timeline line is written with its result),
    /// records checks that failed and
    /// attempts whose outcome is unknown, and plans the next occurrence of each series whose occurrence
    /// left `pending` (queued after the commit). Returns the sends whose claim won.
    private struct Claimed {
        let message: MessageStore.Due
        let outgoing: Outgoing
        let account: String
    }

    private func claim(_ plans: [Plan]) async throws -> [Claimed] {
        let now = Timestamp.now(clock)
        let host = hosts.id
        let (claimed, changes, planned) = try await database.transaction { tx -> ([Claimed], [StatusChange], [(job: DeliveryJob, dueMs: Int64)]) in
            var claimed: [Claimed] = []
            var changes: [StatusChange] = []
            var series: [String] = []
            var won = try Self.markSending(tx, plans, host: host, now: now)
            for plan in plans {
                switch plan {
                case .send(let message, _, let outgoing, let account):
                    // Taken from the set: a message planned twice in a batch is claimed once.
                    guard won.remove(MessageClaim(message)) != nil else {
                        if message.campaignID != nil, try Self.cancelInCancelledCampaign(tx, message, now: now) {
                            changes.append(StatusChange(message, status: .canceled, errorCode: nil))
                        }
                        continue
                    }
                    claimed.append(Claimed(message: message, outgoing: outgoing, account: account))
                    if let id = message.seriesID { series.append(id) }
                case .fail(let message, let code, let reason):
                    if try MessageStore.fail(tx, message.id, from: .pending, code: code, reason: reason, now: now) {
                        changes.append(StatusChange(message, status: .failed, errorCode: code))
                        if let id = message.seriesID { series.append(id) }
                    }
                }
            }
            try WorkspaceEvents.record(tx, changes, at: now)
            return (claimed, changes, try SeriesPlanner.planNext(tx, seriesIDs: series, now: now))
        }
        // The claims are committed: they must reach the pipeline whatever happens here (thrown, they would
        // stay `sending` under this live host's id, which no host settles). An occurrence not queued now is
        // still `pending` and unqueued, which the every-minute sweep queues.
        if !planned.isEmpty {
            do {
                try await queue.enqueue(planned)
            } catch {
                logger.warning("could not queue the next occurrences; the sweep queues them", metadata: ["error": "\(error)", "count": "\(planned.count)"])
            }
        }
        metrics.count(result: "rejected", provider: "none", by: changes.count { $0.status == .failed })
        if !changes.isEmpty { events.flushSoon() }
        return claimed
    }

    /// Claims the planned sends, `pending` to `sending` under this host, in one statement (one each cost a
    /// campaign 39 µs an email); answers the claims won.
    private static func markSending(_ tx: SQLTransaction, _ plans: [Plan], host: String, now: String) throws -> Set<MessageClaim> {
        let sends: [JSONValue] = plans.compactMap { plan in
            guard case .send(let message, let text, let outgoing, _) = plan else { return nil }
            return [.string(message.id), .number(Double(message.version)), .string(text), .string(outgoing.providerName)]
        }
        guard !sends.isEmpty else { return [] }
        // Each listed send finds its message by id (`status || ''`: not by the status index).
        return MessageClaim.returned(try tx.all("""
            UPDATE messages SET status = 'sending', dispatched = 0, attempts = attempts + 1, sent_text = claim.sent_text, provider = claim.provider,
              updated_at = ?, claimed_by = ?
            FROM (SELECT value ->> 0 AS id, CAST(value ->> 1 AS BIGINT) AS version, value ->> 2 AS sent_text, value ->> 3 AS provider
                  FROM \(tx.dialect.records())) AS claim
            WHERE messages.id = claim.id AND messages.version = claim.version AND messages.status || '' = 'pending' AND \(campaignNotStopped)
            RETURNING messages.id, messages.version
            """, now, host, SQLList.json(sends)))
    }

    /// A campaign's message is not claimed while its campaign is paused or cancelled. A pause or cancel holds
    /// or cancels the pending messages, but not one in flight: should that send fail and be retried (or be
    /// left by a stopped host and sent again), its new job comes here. Held, it stays `pending`, and resuming
    /// plans it again. (A finished campaign's message retried from review goes.)
    private static let campaignNotStopped = """
        (campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM campaigns WHERE campaigns.id = messages.campaign_id AND campaigns.state IN ('paused', 'cancelled')))
        """

    /// A message of a cancelled campaign whose claim lost is cancelled with its timeline event, as the
    /// cancel did to the others; false when it was not that.
    private static func cancelInCancelledCampaign(_ tx: SQLTransaction, _ message: MessageStore.Due, now: String) throws -> Bool {
        guard try tx.run("""
            UPDATE messages SET status = 'canceled', updated_at = ? WHERE id = ? AND version = ? AND status = 'pending'
              AND EXISTS (SELECT 1 FROM campaigns WHERE campaigns.id = messages.campaign_id AND campaigns.state = 'cancelled')
            """, now, message.id, message.version).changes == 1 else { return false }
        try tx.run("INSERT INTO message_events (message_id, at, kind, result) VALUES (?, ?, 'status', 'canceled')", message.id, now)
        return true
    }

    /// One transaction for the batch's results; then retries are queued and changes announced.
    private func record(_ results: [SendPipeline.Result]) async throws {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let limits = self.limits
        let host = hosts.id
        let (retries, changes, recorded) = try await database.transaction {
            tx -> ([(job: DeliveryJob, dueMs: Int64)], [StatusChange], [(provider: String, result: SendResult)]) in
            var retries: [(job: DeliveryJob, dueMs: Int64)] = []
            var changes: [StatusChange] = []
            var recorded: [(provider: String, result: SendResult)] = []
            // One update per template for the batch: a campaign's thousands of sends share one.
            var used: [String: Int] = [:]
            // The accepted sends' timeline lines (the attempt, then the status), one statement for the batch.
            var timeline: [[SQLValue]] = []
            func accepted(_ message: MessageStore.Due, _ provider: String, _ providerID: String, lines: [(kind: String, result: String)]) {
                for line in lines { timeline.append([.text(message.id), .text(now), .text(line.kind), .text(line.result), .text(provider), .text(providerID)]) }
            }
            let sent = try Self.markSent(tx, results, host: host, now: now, nowMs: nowMs)
            for (message, provider, result) in results {
                let attempt = message.attempts + 1
                // Only this host's claim is recorded: a claim another host settled (taking this one for
                // stopped), and perhaps claimed again, is not this result's to move.
                if case .accepted = result {} else {
                    guard try tx.execute("""
                        SELECT 1 AS ours FROM messages WHERE id = ? AND version = ? AND claimed_by = ? AND status = 'sending'
                        """, [.text(message.id), .integer(Int64(message.version)), .text(host)]).rows.first != nil else { continue }
                }
                recorded.append((provider, result))
                switch result {
                case .accepted(let providerID):
                    guard sent.contains(MessageClaim(message)) else {
                        // Still this claim, but its provider's status callback came first and moved it on:
                        // the attempt is recorded, the status left where the callback put it.
                        if try tx.run("""
                            UPDATE messages SET provider_message_id = COALESCE(provider_message_id, ?), sent_at = COALESCE(sent_at, ?),
                              sent_ms = COALESCE(sent_ms, ?) WHERE id = ? AND version = ? AND claimed_by = ? AND status NOT IN ('pending', 'sending', 'review')
                            """, providerID, now, nowMs, message.id, message.version, host).changes == 1 {
                            accepted(message, provider, providerID, lines: [("attempt", "accepted")])
                        } else {
                            recorded.removeLast()
                        }
                        continue
                    }
                    accepted(message, provider, providerID, lines: [("attempt", "accepted"), ("status", "sent")])
                    if let template = message.templateID { used[template, default: 0] += 1 }
                    changes.append(StatusChange(message, status: .sent, errorCode: nil))
                case .transient(let code, let reason, let retryAfter):
                    try Self.attempt(tx, message.id, result: "transient", provider: provider, code: code, reason: reason, now: now)
                    if attempt < limits.maxAttempts {
                        let backoff = limits.retry.delaySeconds(afterAttempt: attempt, unit: Double.random(in: 0..<1))
                        let dueMs = nowMs + Int64(max(backoff, retryAfter ?? 0) * 1000)
                        try tx.run("""
                            UPDATE messages SET status = 'pending', version = version + 1, enqueued = 0, due_ms = ?, error_code = ?, error_message = ?,
                              updated_at = ? WHERE id = ? AND status = 'sending'
                            """, dueMs, code, reason, now, message.id)
                        retries.append((DeliveryJob(messageID: message.id, version: message.version + 1), dueMs))
                    } else {
                        try MessageStore.fail(tx, message.id, from: .sending, code: code, reason: "\(reason) (gave up after \(attempt) attempts)", now: now)
                        changes.append(StatusChange(message, status: .failed, errorCode: code))
                    }
                case .permanent(let code, let reason):
                    try Self.attempt(tx, message.id, result: "permanent", provider: provider, code: code, reason: reason, now: now)
                    try MessageStore.fail(tx, message.id, from: .sending, code: code, reason: reason, now: now)
                    changes.append(StatusChange(message, status: .failed, errorCode: code))
                case .unknown(let code, let reason):
                    if try Self.review(tx, message.id, provider: provider, code: code, reason: reason, now: now) {
                        changes.append(StatusChange(message, status: .review, errorCode: code))
                    }
                }
            }
            _ = try tx.insert(into: "message_events", columns: ["message_id", "at", "kind", "result", "provider", "provider_message_id"], rows: timeline)
            for (template, count) in used.sorted(by: { $0.key < $1.key }) {
                try tx.run("UPDATE templates SET usage_count = usage_count + CAST(? AS INTEGER) WHERE id = ?", count, template)
            }
            try WorkspaceEvents.record(tx, changes, at: now)
            return (retries, changes, recorded)
        }
        for (provider, result) in recorded { metrics.count(result, provider: provider) }
        if !retries.isEmpty { try await queue.enqueue(retries) }
        if !changes.isEmpty { events.flushSoon() }
    }

    /// Moves the batch's accepted sends to `sent`, in one statement (one each cost a campaign 45 µs an
    /// email); answers the claims it moved. Also from `review`: another host that took this one for stopped
    /// settled the send there, its outcome unknown; now it is known.
    private static func markSent(_ tx: SQLTransaction, _ results: [SendPipeline.Result], host: String, now: String,
                                 nowMs: Int64) throws -> Set<MessageClaim> {
        let accepted: [JSONValue] = results.compactMap { result in
            guard case .accepted(let providerID) = result.result else { return nil }
            return [.string(result.message.id), .number(Double(result.message.version)), .string(providerID)]
        }
        guard !accepted.isEmpty else { return [] }
        // Each listed send finds its message by id (`status || ''`: not by the status index, which would
        // walk every message in flight and look each up in the list).
        return MessageClaim.returned(try tx.all("""
            UPDATE messages SET status = 'sent', provider_message_id = sent.provider_id, sent_at = ?, sent_ms = ?, error_code = NULL,
              error_message = NULL, updated_at = ?
            FROM (SELECT value ->> 0 AS id, CAST(value ->> 1 AS BIGINT) AS version, value ->> 2 AS provider_id FROM \(tx.dialect.records())) AS sent
            WHERE messages.id = sent.id AND messages.version = sent.version AND messages.claimed_by = ?
              AND messages.status || '' IN ('sending', 'review')
            RETURNING messages.id, messages.version
            """, now, nowMs, now, SQLList.json(accepted), host))
    }

    /// Settles, once per process before its first batch, what an earlier process left `sending`.
    func recoverOnce() async throws {
        guard recovered.withLock({ done in defer { done = true }; return !done }) else { return }
        do {
            try await recover()
        } catch {
            recovered.withLock { $0 = false }
            throw error
        }
    }

    /// Messages left `sending` by a host that stopped, settled at once: those never dispatched go back to
    /// `pending` (a new version, queued now, the attempt not counted); those dispatched go to `review`.
    /// Pending messages it had not queued yet are queued.
    /// (One host per database: a second host sharing it would need claims it owns; see the scale-out issue.)
    func recover() async throws {
        try await settleGone()
        // And what it scheduled but had not queued yet.
        try await queue.sweep(olderThan: 0)
    }

    /// Settles the sends of hosts that stopped: at start-up, and at each heartbeat (a host of the cluster
    /// that died leaves its claims to the others).
    func settleGone() async throws {
        let gone = hosts.goneClaim
        let left = try await database.prepare("SELECT id, version FROM messages WHERE status = 'sending' AND \(gone.sql)")
            .bind(gone.values).all()
            .compactMap { row -> (String, Int)? in
                guard let id = row.text("id"), let version = row.integer("version") else { return nil }
                return (id, Int(version))
            }
        try await settle(left)
        if !left.isEmpty { logger.notice("settled messages a stopped host left sending", metadata: ["count": "\(left.count)"]) }
    }

    private func settle(_ left: [(id: String, version: Int)]) async throws {
        guard !left.isEmpty else { return }
        let now = Timestamp.now(clock)
        let gone = hosts.goneClaim
        let (again, changes) = try await database.transaction { tx -> ([(job: DeliveryJob, dueMs: Int64)], [StatusChange]) in
            var again: [(job: DeliveryJob, dueMs: Int64)] = []
            var changes: [StatusChange] = []
            for (id, version) in left {
                // Checked again here: only a stopped host's claim is settled, never one a live host still holds.
                guard let row = try tx.execute("""
                    SELECT workspace_id, channel, dispatched, due_ms, provider FROM messages WHERE id = ? AND version = ? AND status = 'sending' AND \(gone.sql)
                    """, [.text(id), .integer(Int64(version))] + gone.values).rows.first,
                      let workspace = row.text("workspace_id") else { continue }
                // `dispatched = 0` checked by the write itself: a host still running (past its lease on
                // PostgreSQL) that marks the send dispatched first keeps it, and this one sends to review.
                if row.integer("dispatched") == 0, try tx.run("""
                    UPDATE messages SET status = 'pending', version = version + 1, attempts = attempts - 1, enqueued = 0, updated_at = ?
                    WHERE id = ? AND version = ? AND status = 'sending' AND dispatched = 0
                    """, now, id, version).changes == 1 {
                    try Self.attempt(tx, id, result: "not_sent", provider: row.text("provider"), code: nil,
                                     reason: "the host stopped before the provider was called", now: now)
                    again.append((DeliveryJob(messageID: id, version: version + 1), row.integer("due_ms") ?? 0))
                } else if try Self.review(tx, id, provider: row.text("provider"), code: nil, reason: "the host stopped during this attempt", now: now) {
                    changes.append(StatusChange(scope: TenantScope(workspaceID: workspace), messageID: id, status: .review, errorCode: nil,
                                                channel: row.text("channel").flatMap(MessageChannel.init) ?? .sms))
                }
            }
            try WorkspaceEvents.record(tx, changes, at: now)
            return (again, changes)
        }
        if !again.isEmpty { try await queue.enqueue(again) }
        if !changes.isEmpty { events.flushSoon() }
    }

    /// An attempt's timeline line, written with its outcome. (A claim made before these lines were written
    /// at the outcome left a `started` line, which is completed instead.)
    private static func attempt(_ tx: SQLTransaction, _ id: String, result: String, provider: String?, code: String?, reason: String,
                                now: String) throws {
        guard try tx.run("""
            UPDATE message_events SET result = ?, error_code = ?, error_message = ? WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
            """, result, code, reason, id).changes == 0 else { return }
        try tx.run("INSERT INTO message_events (message_id, at, kind, result, provider, error_code, error_message) VALUES (?, ?, 'attempt', ?, ?, ?, ?)",
                   id, now, result, provider, code, reason)
    }

    /// An attempt whose outcome nobody knows (the provider may have taken it): the message waits in
    /// `review` for a person (`POST /messages/:id/retry`), never retried on its own.
    /// False when the message was no longer `sending` (its result was recorded meanwhile).
    private static func review(_ tx: SQLTransaction, _ id: String, provider: String?, code: String?, reason: String, now: String) throws -> Bool {
        guard try tx.run("""
            UPDATE messages SET status = 'review', error_code = ?, error_message = ?, updated_at = ? WHERE id = ? AND status = 'sending'
            """, code, reason, now, id).changes == 1 else { return false }
        try attempt(tx, id, result: "unknown", provider: provider, code: code, reason: reason, now: now)
        try tx.run("INSERT INTO message_events (message_id, at, kind, result) VALUES (?, ?, 'status', 'review')", id, now)
        return true
    }
}
