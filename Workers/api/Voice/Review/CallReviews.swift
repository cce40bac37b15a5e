import Logging
import OzziRuntime

/// The AI review of ended calls: asked of the voice-agent worker (`POST /review`, through the `VOICE`
/// binding: it holds the model and its key), checked again here, and kept beside the call. A review the
/// model could not give is retried with backoff; after `maxAttempts` the call's review is `failed`, for a
/// person to re-run. The review's class becomes the call's unless a person chose one.
struct CallReviews: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let calls: CallStore
    let numbers: VoiceNumberStore
    let voice: ServiceBinding
    let jobs: any QueueProducer
    let logger: Logger

    static let maxAttempts = 5
    static let retryBaseSeconds = 10.0

    /// Puts an ended call's review back to pending and queues it; nil when there is no such call.
    func rerun(_ scope: TenantScope, id: String) async throws -> Call? {
        guard let call = try await calls.get(scope, id: id) else { return nil }
        guard call.ended_at != nil else { throw APIError.conflict("the call has not ended yet", details: ["field": "id"]) }
        try await database.prepare("UPDATE calls SET review_status = 'pending', updated_at = ? WHERE id = ?").bind(Timestamp.now(clock), id).run()
        try await jobs.send(CallReviewJob(callID: id).json)
        return try await calls.get(scope, id: id)
    }

    func run(_ job: CallReviewJob, _ message: QueueMessage) async {
        do {
            guard let call = try await calls.byID(job.callID), call.review_status == "pending" else { return message.ack() }
            let answer = try await ask(call)
            try await store(call, answer)
            message.ack()
        } catch {
            logger.warning("call review failed", metadata: ["call_id": "\(job.callID)", "attempt": "\(message.attempts)", "error": "\(error)"])
            guard message.attempts >= Self.maxAttempts || error is CallReviewAnswer.Refused else {
                return message.retry(delaySeconds: Self.retryBaseSeconds * Double(1 << min(message.attempts - 1, 6)))
            }
            do {
                try await failed(job.callID, reason: "\(error)")
                message.ack()
            } catch {
                message.retry(delaySeconds: Self.retryBaseSeconds)
            }
        }
    }

    private func ask(_ call: Call) async throws -> CallReviewAnswer {
        let turns = try await calls.turns(call)
        let rubric = try await numbers.settings(of: call)?.reviewRubric ?? ""
        let body: JSONValue = [
            "call": ["direction": .string(call.direction), "status": .string(call.status),
                     "duration_seconds": call.duration_seconds.map { .number(Double($0)) } ?? .null,
                     "handoff_reason": call.handoff_reason.map { .string($0) } ?? .null, "callback_requested": .bool(call.callback_requested_at != nil)],
            "rubric": .string(rubric),
            "turns": .array(turns.map { ["role": .string($0.role), "text": .string($0.text), "interrupted": .bool($0.interrupted), "tool": $0.tool ?? .null] }),
        ]
        let response = try await voice.fetch(Request(method: "POST", target: "/review", headers: ["content-type": "application/json"], body: body.jsonBytes))
        return try CallReviewAnswer(response, rubric: rubric)
    }

    /// The review replaces the last one (people's corrections stay), and its class becomes the call's unless a person chose one.
    private func store(_ call: Call, _ answer: CallReviewAnswer) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO call_reviews (call_id, workspace_id, summary, classification, score, sentiment, success, success_reason, recommendations,
                  rubric, model, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (call_id) DO UPDATE SET summary = excluded.summary, classification = excluded.classification, score = excluded.score,
                  sentiment = excluded.sentiment, success = excluded.success, success_reason = excluded.success_reason,
                  recommendations = excluded.recommendations, rubric = excluded.rubric, model = excluded.model, reviewed_at = excluded.reviewed_at
                """, call.id, call.workspace_id, answer.summary, answer.classification, answer.score, answer.sentiment, answer.success ? 1 : 0,
                answer.successReason, JSONValue.array(answer.recommendations.map { .string($0) }).jsonText, answer.rubric, answer.model, now)
            _ = try CallStore.changing(tx, call.id) {
                try tx.run("""
                    UPDATE calls SET review_status = 'done',
                      classification = CASE WHEN classified_by IS NULL OR classified_by = 'review' THEN ? ELSE classification END,
                      classified_by = CASE WHEN classified_by IS NULL OR classified_by = 'review' THEN 'review' ELSE classified_by END,
                      updated_at = ? WHERE id = ?
                    """, answer.classification, now, call.id)
            }
            try WorkspaceEvents.record(tx, [(call.scope, "call.reviewed", CallStore.event(call.id, [
                "classification": .string(answer.classification), "score": .number(Double(answer.score)), "success": .bool(answer.success),
                "sentiment": .string(answer.sentiment),
            ]))], at: now)
        }
    }

    private func failed(_ callID: String, reason: String) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            guard let call = try tx.first(Call.self, CallStore.select + " WHERE id = ?", callID) else { return }
            try tx.run("UPDATE calls SET review_status = 'failed', updated_at = ? WHERE id = ?", now, callID)
            try WorkspaceEvents.record(tx, [(call.scope, "call.review_failed", CallStore.event(callID, ["error": .string(String(reason.prefix(500)))]))], at: now)
        }
    }

    /// A person corrects the review (`summary`, `sentiment`, `success`, `score`); a re-run keeps these.
    func correct(_ scope: TenantScope, callID: String, _ body: JSONBody, by memberID: String) async throws -> CallReview? {
        guard try await calls.get(scope, id: callID) != nil else { return nil }
        var changes: [String: JSONValue] = [:]
        if let summary = try body.string("summary", max: 2_000) { changes["summary"] = .string(summary) }
        if let sentiment = try body.choice("sentiment", CallReview.sentiments) { changes["sentiment"] = .string(sentiment) }
        if let success = try body.bool("success") { changes["success"] = .bool(success) }
        if let score = try body.int("score", 0...100) { changes["score"] = .number(Double(score)) }
        guard !changes.isEmpty else { throw APIError.invalidField("body", "names none of \(CallReview.correctable.joined(separator: ", "))") }
        let now = Timestamp.now(clock), corrected = changes
        return try await database.transaction { tx -> CallReview? in
            guard let review = try tx.first(CallReview.self, "SELECT \(CallReview.selection) FROM call_reviews WHERE call_id = ?", callID) else {
                throw APIError.conflict("the call has no review yet", details: ["field": "id"])
            }
            var overrides = review.overrides.objectValue ?? [:]
            for (field, value) in corrected { overrides[field] = ["value": value, "by": .string(memberID), "at": .string(now)] }
            try tx.run("UPDATE call_reviews SET overrides = ? WHERE call_id = ?", JSONValue.object(overrides).jsonText, callID)
            try WorkspaceEvents.record(tx, [(scope, "call.review_corrected", CallStore.event(callID, ["fields": .array(corrected.keys.sorted().map { .string($0) }),
                                                                                                      "by": .string(memberID)]))], at: now)
            return try tx.first(CallReview.self, "SELECT \(CallReview.selection) FROM call_reviews WHERE call_id = ?", callID)
        }
    }

    /// Reviews a crash lost between the call's end and the job's send (pending for over ten minutes, ended within a day).
    func requeueStalled() async throws {
        let now = clock.milliseconds
        let rows = try await database.prepare("""
            SELECT id FROM calls WHERE review_status = 'pending' AND updated_at < ? AND ended_at > ? LIMIT 500
            """).bind(Timestamp.at(milliseconds: now - 10 * 60_000), Timestamp.at(milliseconds: now - 86_400_000)).all()
        let messages = rows.compactMap { $0.text("id") }.map { CallReviewJob(callID: $0).message }
        if !messages.isEmpty { try await jobs.sendBatch(messages) }
    }
}
