import Logging
import OzziRuntime

/// Calls' recordings: Twilio's recording status callback reports one (`completed`, or `absent` when the
/// call was too short or silent, or `failed`); a job copies a completed one's audio into the FILES bucket,
/// asking again with backoff while it cannot be had and marking it `failed` after the last attempt, never
/// retrying forever; the stored audio is served with byte ranges for a player.
struct CallRecordings: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let bucket: any Bucket
    let jobs: any QueueProducer
    let settings: SMSSettingsStore
    let providers: SMSProviders
    let voice: ServiceBinding
    let logger: Logger

    static let maxAttempts = 6
    /// Between attempts: thirty seconds, doubling (the last about eight minutes after the first).
    static let retryBaseSeconds = 30.0
    /// A queued fetch untouched this long lost its job (the longest backoff is 16 minutes).
    static let stallMs: Int64 = 3_600_000

    /// A fetch that no later attempt can change: the recording is `failed` at once.
    struct RecordingUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// Twilio's recording status callback for `call`. The fetch is queued once, when Twilio first says the
    /// recording is complete: a repeated callback changes nothing, and a recording settled stays settled.
    func reported(_ call: Call, _ hook: TwilioWebhook) async throws {
        let sid = try hook.required("RecordingSid"), status = try hook.required("RecordingStatus")
        guard CallRecording.isSid(sid) else { throw APIError.invalidField("RecordingSid", "must be RE followed by 32 hex digits") }
        let duration = hook.value("RecordingDuration").flatMap { Int($0) }.map { max(0, $0) }
        let next: String
        switch status {
        case "in-progress", "completed": next = "pending"
        case "absent", "failed": next = status
        default: throw APIError.invalidField("RecordingStatus", "must be in-progress, completed, absent or failed")
        }
        let url = hook.value("RecordingUrl") ?? ""
        if status == "completed", url.isEmpty { throw APIError.invalidField("RecordingUrl", "is required when the recording is completed") }
        let now = Timestamp.now(clock)
        let fetch = try await database.transaction { tx -> Bool in
            // Two first callbacks at once: one row, whichever comes first.
            try tx.run("""
                INSERT INTO call_recordings (recording_sid, call_id, workspace_id, account_sid, status, source_url, attempts, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'pending', '', 0, ?, ?) ON CONFLICT (recording_sid) DO NOTHING
                """, sid, call.id, call.workspace_id, call.account_sid, now, now)
            guard let existing = try tx.first(CallRecording.self, "SELECT \(CallRecording.selection) FROM call_recordings WHERE recording_sid = ?", sid),
                  existing.call_id == call.id else { throw APIError.notFound("recording") }
            guard existing.status == "pending" else { return false }
            let queue = status == "completed" && existing.queued_at == nil
            try tx.run("""
                UPDATE call_recordings SET status = ?, source_url = CASE WHEN ? = '' THEN source_url ELSE ? END,
                  duration_seconds = coalesce(?, duration_seconds), queued_at = CASE WHEN ? = 1 THEN ? ELSE queued_at END, updated_at = ?
                WHERE recording_sid = ?
                """, next, url, url, duration, queue ? 1 : 0, now, now, sid)
            if next != "pending" {
                try WorkspaceEvents.record(tx, [(call.scope, "call.recording_\(next)", CallStore.event(call.id, ["recording_sid": .string(sid)]))], at: now)
            }
            return queue
        }
        if fetch { try await jobs.sendBatch([CallRecordingJob(recordingSid: sid).message]) }
    }

    /// One fetch. Attempts are counted on the row, not the message, so a job queued again by maintenance
    /// does not start the count over.
    func run(_ job: CallRecordingJob, _ message: QueueMessage) async {
        do {
            guard let recording = try await byID(job.recordingSid), recording.status == "pending", recording.queued_at != nil else { return message.ack() }
            let attempt = recording.attempts + 1
            try await database.prepare("UPDATE call_recordings SET attempts = ?, updated_at = ? WHERE recording_sid = ?")
                .bind(attempt, Timestamp.now(clock), recording.recording_sid).run()
            do {
                let audio = try await source(for: recording).audio(of: recording)
                let key = "recordings/\(recording.workspace_id)/\(recording.call_id)/\(recording.recording_sid)."
                    + (audio.contentType == "audio/wav" ? "wav" : "mp3")
                let object = try await bucket.put(key, chunks: audio.chunks, options: BucketPutOptions(contentType: audio.contentType))
                if try await !stored(recording, key: key, object: object) { try await bucket.delete(key) }
            } catch let error as RecordingUnavailable {
                await settle(recording.recording_sid, failing: "\(error)")
            } catch OutboundError.responseTooLarge(_, let limit) {
                await settle(recording.recording_sid, failing: "the recording is larger than \(limit) bytes")
            } catch {
                logger.warning("a call recording could not be fetched", metadata: ["recording_sid": "\(job.recordingSid)", "attempt": "\(attempt)",
                                                                                   "error": "\(error)"])
                guard attempt < Self.maxAttempts else {
                    await settle(recording.recording_sid, failing: "\(error)")
                    return message.ack()
                }
                try await database.prepare("UPDATE call_recordings SET error = ?, updated_at = ? WHERE recording_sid = ?")
                    .bind(String("\(error)".prefix(500)), Timestamp.now(clock), recording.recording_sid).run()
                return message.retry(delaySeconds: Self.retryBaseSeconds * Double(1 << min(attempt - 1, 6)))
            }
            message.ack()
        } catch {
            // The database failed under the job: the queue tries it again.
            logger.warning("a call recording job failed", metadata: ["recording_sid": "\(job.recordingSid)", "error": "\(error)"])
            message.retry(delaySeconds: Self.retryBaseSeconds)
        }
    }

    /// Maintenance: a fetch whose job was lost (the queue refused it after the callback's transaction) is
    /// queued again; a recording Twilio never reported complete is given up a day on.
    func requeueStalled() async throws {
        let now = clock.milliseconds
        let stalled = Timestamp.at(milliseconds: now - Self.stallMs), abandoned = Timestamp.at(milliseconds: now - 86_400_000)
        let lost = try await database.prepare("""
            SELECT recording_sid FROM call_recordings WHERE status = 'pending' AND queued_at IS NOT NULL AND updated_at < ? LIMIT 100
            """).bind(stalled).all()
        for row in lost {
            guard let sid = row.text("recording_sid") else { continue }
            try await database.prepare("UPDATE call_recordings SET updated_at = ? WHERE recording_sid = ?").bind(Timestamp.now(clock), sid).run()
            try await jobs.sendBatch([CallRecordingJob(recordingSid: sid).message])
        }
        let never = try await database.prepare("SELECT recording_sid FROM call_recordings WHERE status = 'pending' AND queued_at IS NULL AND updated_at < ? LIMIT 100")
            .bind(abandoned).all()
        for row in never {
            if let sid = row.text("recording_sid") { await settle(sid, failing: "Twilio never reported the recording completed") }
        }
    }

    /// The stored recording a call's player plays: its latest.
    func playable(_ call: Call) async throws -> CallRecording? {
        try await database.prepare("SELECT \(CallRecording.selection) FROM call_recordings WHERE call_id = ? AND status = 'stored' "
                                   + "ORDER BY created_at DESC, recording_sid DESC LIMIT 1").bind(call.id).first(CallRecording.self)
    }

    private func byID(_ sid: String) async throws -> CallRecording? {
        try await database.prepare("SELECT \(CallRecording.selection) FROM call_recordings WHERE recording_sid = ?").bind(sid).first(CallRecording.self)
    }

    private func source(for recording: CallRecording) async throws -> any RecordingAudioSource {
        if recording.account_sid == SimulatedSMSProvider.accountSid { return SimulatedRecordingAudio(voice: voice) }
        guard let account = providers.twilioAccount(try await settings.get(TenantScope(workspaceID: recording.workspace_id))),
              account.accountSid == recording.account_sid else { throw RecordingUnavailable(description: "the call's Twilio account is no longer the workspace's") }
        return TwilioRecordingAudio(account: account)
    }

    /// The audio is in the bucket: the recording is stored and the call has it. False when a callback
    /// settled the recording meanwhile (its object is then removed).
    private func stored(_ recording: CallRecording, key: String, object: BucketObject) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> Bool in
            guard try tx.run("""
                UPDATE call_recordings SET status = 'stored', object_key = ?, content_type = ?, size_bytes = ?, error = NULL, updated_at = ?
                WHERE recording_sid = ? AND status = 'pending'
                """, key, object.contentType, Int64(object.size), now, recording.recording_sid).changes == 1 else { return false }
            try tx.run("UPDATE calls SET has_recording = 1, updated_at = ? WHERE id = ?", now, recording.call_id)
            try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: recording.workspace_id), "call.recording_stored", CallStore.event(recording.call_id, [
                "recording_sid": .string(recording.recording_sid), "duration_seconds": recording.duration_seconds.map { .number(Double($0)) } ?? .null,
                "size_bytes": .number(Double(object.size)), "content_type": object.contentType.map { .string($0) } ?? .null,
            ]))], at: now)
            return true
        }
    }

    /// The last attempt failed, or none can succeed: the recording is `failed`, with why.
    private func settle(_ sid: String, failing reason: String) async {
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                guard let recording = try tx.first(CallRecording.self, "SELECT \(CallRecording.selection) FROM call_recordings WHERE recording_sid = ?", sid),
                      recording.status == "pending" else { return }
                try tx.run("UPDATE call_recordings SET status = 'failed', error = ?, updated_at = ? WHERE recording_sid = ?",
                           String(reason.prefix(500)), now, sid)
                try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: recording.workspace_id), "call.recording_failed",
                                                 CallStore.event(recording.call_id, ["recording_sid": .string(sid), "error": .string(String(reason.prefix(500)))]))],
                                           at: now)
            }
        } catch {
            logger.error("a failed call recording could not be marked", metadata: ["recording_sid": "\(sid)", "error": "\(error)"])
        }
    }
}
