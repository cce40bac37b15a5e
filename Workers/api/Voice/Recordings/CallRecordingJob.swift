import OzziRuntime

/// Copy one reported recording's audio into the bucket (`CallRecordings.run`).
struct CallRecordingJob: QueueJob {
    static let kind = "call_recording"
    let recordingSid: String

    init(recordingSid: String) {
        self.recordingSid = recordingSid
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        recordingSid = try payload.string("recording_sid")
    }

    var fields: [String: JSONValue] { ["recording_sid": .string(recordingSid)] }
}
