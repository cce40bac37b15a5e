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

    /// The account the call was made on is no longer the workspace's: its recording cannot be fetched.
    private struct Unfetchable: Error, CustomStringConvertible {
        var description: String { "the call's Twilio account is no longer the workspace's" }
    }

    /// Twilio's recording status callback for `call`.
    func reported(_ call: Call, _ hook: TwilioWebhook) async throws {
        let sid = try hook.required("RecordingSid"), status = try hook.required("RecordingStatus")
        guard sid.count <= 64 else { throw APIError.invalidField("RecordingSid", "must be at most 64 characters") }
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
            let existing = try tx.first(CallRecording.self, "SELECT \(CallRecording.selection) FROM call_recordings WHERE recording_sid = ?", sid)
            if let existing {
                // Settled recordings stay as they are; a repeated callback changes nothing.
                guard existing.status == "pending" else { return false }
                try tx.run("UPDATE call_recordings SET status = ?, source_url = CASE WHEN ? = '' THEN source_url ELSE ? END, "
                           + "duration_seconds = coalesce(?, duration_seconds), updated_at = ? WHERE recording_sid = ?",
                           next, url, url, duration, now, sid)
            } else {
                try tx.run("""
                    INSERT INTO call_recordings (recording_sid, call_id, workspace_id, account_sid, status, source_url, duration_seconds, attempts,
                      created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """, sid, call.id, call.workspace_id, call.account_sid, next, url, duration, now, now)
            }
            if next != "pending" {
                try WorkspaceEvents.record(tx, [(call.scope, "call.recording_\(next)", CallStore.event(call.id, ["recording_sid": .string(sid)]))], at: now)
            }
            return status == "completed"
        }
        if fetch { try await jobs.sendBatch([CallRecordingJob(recordingSid: sid).message]) }
    }

    func run(_ job: CallRecordingJob, _ message: QueueMessage) async {
        do {
            guard let recording = try await byID(job.recordingSid), recording.status == "pending" else { return message.ack() }
            let audio = try await source(for: recording).audio(of: recording)
            let key = "recordings/\(recording.workspace_id)/\(recording.call_id)/\(recording.recording_sid)." + (audio.contentType == "audio/wav" ? "wav" : "mp3")
            try await bucket.put(key, audio.bytes, options: BucketPutOptions(contentType: audio.contentType))
            try await stored(recording, key: key, audio: audio, attempts: message.attempts)
            message.ack()
        } catch let error as Unfetchable {
            await settle(job.recordingSid, failing: "\(error)", attempts: message.attempts)
            message.ack()
        } catch {
            logger.warning("a call recording could not be fetched", metadata: ["recording_sid": "\(job.recordingSid)", "attempt": "\(message.attempts)",
                                                                               "error": "\(error)"])
            guard message.attempts < Self.maxAttempts else {
                await settle(job.recordingSid, failing: "\(error)", attempts: message.attempts)
                return message.ack()
            }
            try? await database.prepare("UPDATE call_recordings SET attempts = ?, error = ?, updated_at = ? WHERE recording_sid = ?")
                .bind(message.attempts, String("\(error)".prefix(500)), Timestamp.now(clock), job.recordingSid).run()
            message.retry(delaySeconds: Self.retryBaseSeconds * Double(1 << min(message.attempts - 1, 6)))
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
              account.accountSid == recording.account_sid else { throw Unfetchable() }
        return TwilioRecordingAudio(account: account)
    }

    private func stored(_ recording: CallRecording, key: String, audio: (bytes: [UInt8], contentType: String), attempts: Int) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                UPDATE call_recordings SET status = 'stored', object_key = ?, content_type = ?, size_bytes = ?, attempts = ?, error = NULL, updated_at = ?
                WHERE recording_sid = ? AND status = 'pending'
                """, key, audio.contentType, Int64(audio.bytes.count), attempts, now, recording.recording_sid)
            try tx.run("UPDATE calls SET has_recording = 1, updated_at = ? WHERE id = ?", now, recording.call_id)
            try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: recording.workspace_id), "call.recording_stored", CallStore.event(recording.call_id, [
                "recording_sid": .string(recording.recording_sid), "duration_seconds": recording.duration_seconds.map { .number(Double($0)) } ?? .null,
                "size_bytes": .number(Double(audio.bytes.count)), "content_type": .string(audio.contentType),
            ]))], at: now)
        }
    }

    /// The last attempt failed, or none can succeed: the recording is `failed`, with why.
    private func settle(_ sid: String, failing reason: String, attempts: Int) async {
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                guard let recording = try tx.first(CallRecording.self, "SELECT \(CallRecording.selection) FROM call_recordings WHERE recording_sid = ?", sid),
                      recording.status == "pending" else { return }
                try tx.run("UPDATE call_recordings SET status = 'failed', attempts = ?, error = ?, updated_at = ? WHERE recording_sid = ?",
                           attempts, String(reason.prefix(500)), now, sid)
                try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: recording.workspace_id), "call.recording_failed",
                                                 CallStore.event(recording.call_id, ["recording_sid": .string(sid), "error": .string(String(reason.prefix(500)))]))],
                                           at: now)
            }
        } catch {
            logger.error("a failed call recording could not be marked", metadata: ["recording_sid": "\(sid)", "error": "\(error)"])
        }
    }
}
