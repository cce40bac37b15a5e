import Logging
import OzziRuntime
import Synchronization

/// Delivers due messages, a queue batch at a time: checks, rate limits, a durable claim, the provider
/// call, and the result — each message sent at most once.
///
/// The claim (`sending`, with an attempt `started`) commits before the provider is called. A job that
/// later finds its message still `sending` and not in flight in this process knows the host stopped
/// mid-attempt: the provider may have taken it, so it is marked `review`, never retried on its own.
final class DeliveryEngine: Sendable {
    let messages: MessageStore
    let queue: DeliveryQueue
    let providers: SMSProviders
    let limiter: RateLimiter
    let limits: SendLimits
    let events: WorkspaceEvents
    let logger: Logger
    private let inFlight = Mutex<Set<String>>([])

    init(messages: MessageStore, queue: DeliveryQueue, providers: SMSProviders, limiter: RateLimiter, limits: SendLimits,
         events: WorkspaceEvents, logger: Logger) {
        self.messages = messages
        self.queue = queue
        self.providers = providers
        self.limiter = limiter
        self.limits = limits
        self.events = events
        self.logger = logger
    }

    private var database: any SQLDatabase { messages.database }
    private var clock: any WallClock { messages.clock }

    /// What was decided for one message before any provider call.
    private enum Plan {
        case send(MessageStore.Due, text: String, provider: any SMSProvider, from: SMSSettings)
        case fail(MessageStore.Due, code: String, reason: String)
        case review(MessageStore.Due)
    }

    func deliver(_ jobs: [DeliveryJob]) async throws {
        let due = Dictionary(try await messages.due(jobs.map(\.messageID)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var plans: [Plan] = []
        var settings: [String: SMSSettings] = [:]
        let now = clock.milliseconds
        for job in jobs {
            guard let message = due[job.messageID], message.version == job.version else { continue }  // gone, or a stale job
            let workspace: SMSSettings
            if let known = settings[message.scope.workspaceID] {
                workspace = known
            } else {
                workspace = try await providers.settings.get(message.scope)
                settings[message.scope.workspaceID] = workspace
            }
            // Outside services lease these through the delivery API (a leased one is `sending`, not ours).
            if workspace.provider == "external" { continue }
            if message.status == .sending {
                if !inFlight.withLock({ $0.contains(message.id) }) { plans.append(.review(message)) }
                continue
            }
            guard message.status == .pending else { continue }
            // Not due yet: a 12-hour hop of a message due later, or a job of an earlier schedule.
            if message.dueMs > now {
                try await queue.later(job, byMs: message.dueMs - now)
                continue
            }
            if message.contact?.sms_consent.status == "opted_out" {
                plans.append(.fail(message, code: "opted_out", reason: "the contact opted out of SMS"))
                continue
            }
            if !job.reserved {
                let wait = max(limiter.reserve(limits.perWorkspace, message.scope.workspaceID), limiter.reserve(limits.perUser, message.createdBy))
                if wait > 0 {
                    try await queue.later(DeliveryJob(messageID: message.id, version: message.version, reserved: true), byMs: wait)
                    continue
                }
            }
            // A message that cannot be rendered, or a workspace whose provider is not set up, fails that
            // message alone, not the batch.
            do {
                plans.append(.send(message, text: try Self.render(message).get(), provider: try providers.provider(for: workspace), from: workspace))
            } catch let failure as APIError {
                plans.append(.fail(message, code: failure.code, reason: failure.message))
            }
        }
        guard !plans.isEmpty else { return }
        let claimed = try await claim(plans)
        inFlight.withLock { $0.formUnion(claimed.map { $0.0.id }) }
        defer { inFlight.withLock { $0.subtract(claimed.map { $0.0.id }) } }
        let results = await withTaskGroup(of: (MessageStore.Due, String, SMSSendResult).self) { group in
            for (message, text, provider, settings) in claimed {
                group.addTask { [callback = providers.statusCallbackURL] in
                    let sms = OutgoingSMS(messageID: message.id, to: message.to, from: settings.fromNumber,
                                          messagingServiceSid: settings.messagingServiceSid, body: text, statusCallback: callback)
                    return (message, provider.name, await provider.send(sms))
                }
            }
            var all: [(MessageStore.Due, String, SMSSendResult)] = []
            for await result in group { all.append(result) }
            return all
        }
        try await record(results)
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

    /// One transaction: claims the sends (`sending` + attempt `started`), records checks that failed and
    /// attempts whose outcome is unknown. Returns the sends whose claim won.
    private func claim(_ plans: [Plan]) async throws -> [(MessageStore.Due, String, any SMSProvider, SMSSettings)] {
        let now = Timestamp.now(clock)
        let (claimed, changes) = try await database.transaction { tx -> ([(MessageStore.Due, String, any SMSProvider, SMSSettings)], [StatusChange]) in
            var claimed: [(MessageStore.Due, String, any SMSProvider, SMSSettings)] = []
            var changes: [StatusChange] = []
            for plan in plans {
                switch plan {
                case .send(let message, let text, let provider, let settings):
                    let won = try tx.run("""
                        UPDATE messages SET status = 'sending', attempts = attempts + 1, sent_text = ?, provider = ?, updated_at = ?
                        WHERE id = ? AND version = ? AND status = 'pending'
                        """, text, provider.name, now, message.id, message.version).changes == 1
                    guard won else { continue }
                    try tx.run("INSERT INTO message_events (message_id, at, kind, result, provider) VALUES (?, ?, 'attempt', 'started', ?)",
                               message.id, now, provider.name)
                    claimed.append((message, text, provider, settings))
                case .fail(let message, let code, let reason):
                    if try MessageStore.fail(tx, message.id, from: .pending, code: code, reason: reason, now: now) {
                        changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .failed, errorCode: code))
                    }
                case .review(let message):
                    try Self.review(tx, message, code: nil, reason: "the host stopped during this attempt", now: now)
                    changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .review, errorCode: nil))
                }
            }
            try WorkspaceEvents.record(tx, changes, at: now)
            return (claimed, changes)
        }
        if !changes.isEmpty { events.flushSoon() }
        return claimed
    }

    /// One transaction for the batch's results; then retries are queued and changes announced.
    private func record(_ results: [(MessageStore.Due, String, SMSSendResult)]) async throws {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let limits = self.limits
        let (retries, changes) = try await database.transaction { tx -> ([(job: DeliveryJob, dueMs: Int64)], [StatusChange]) in
            var retries: [(job: DeliveryJob, dueMs: Int64)] = []
            var changes: [StatusChange] = []
            for (message, provider, result) in results {
                let attempt = message.attempts + 1
                switch result {
                case .accepted(let providerID):
                    try tx.run("""
                        UPDATE messages SET status = 'sent', provider_message_id = ?, sent_at = ?, sent_ms = ?, error_code = NULL, error_message = NULL,
                          updated_at = ? WHERE id = ? AND status = 'sending'
                        """, providerID, now, nowMs, now, message.id)
                    try tx.run("""
                        UPDATE message_events SET result = 'accepted', provider_message_id = ? WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
                        """, providerID, message.id)
                    try tx.run("INSERT INTO message_events (message_id, at, kind, result, provider, provider_message_id) VALUES (?, ?, 'status', 'sent', ?, ?)",
                               message.id, now, provider, providerID)
                    if let template = message.templateID {
                        try tx.run("UPDATE templates SET usage_count = usage_count + 1 WHERE id = ?", template)
                    }
                    changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .sent, errorCode: nil))
                case .transient(let code, let reason, let retryAfter):
                    try tx.run("""
                        UPDATE message_events SET result = 'transient', error_code = ?, error_message = ? WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
                        """, code, reason, message.id)
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
                        changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .failed, errorCode: code))
                    }
                case .permanent(let code, let reason):
                    try tx.run("""
                        UPDATE message_events SET result = 'permanent', error_code = ?, error_message = ? WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
                        """, code, reason, message.id)
                    try MessageStore.fail(tx, message.id, from: .sending, code: code, reason: reason, now: now)
                    changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .failed, errorCode: code))
                case .unknown(let code, let reason):
                    try Self.review(tx, message, code: code, reason: reason, now: now)
                    changes.append(StatusChange(scope: message.scope, messageID: message.id, status: .review, errorCode: code))
                }
            }
            try WorkspaceEvents.record(tx, changes, at: now)
            return (retries, changes)
        }
        if !retries.isEmpty { try await queue.enqueue(retries) }
        if !changes.isEmpty { events.flushSoon() }
    }

    /// An attempt whose outcome nobody knows (the provider may have taken it): the message waits in
    /// `review` for a person (`POST /messages/:id/retry`), never retried on its own.
    private static func review(_ tx: SQLTransaction, _ message: MessageStore.Due, code: String?, reason: String, now: String) throws {
        try tx.run("""
            UPDATE messages SET status = 'review', error_code = ?, error_message = ?, updated_at = ? WHERE id = ? AND status = 'sending'
            """, code, reason, now, message.id)
        try tx.run("""
            UPDATE message_events SET result = 'unknown', error_code = ?, error_message = ? WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
            """, code, reason, message.id)
        try tx.run("INSERT INTO message_events (message_id, at, kind, result) VALUES (?, ?, 'status', 'review')", message.id, now)
    }
}
