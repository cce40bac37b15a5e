import OzziRuntime

/// One recording of a call, as Twilio reported it and as far as its audio got into the bucket.
struct CallRecording: Sendable, Decodable, SQLRecord {
    let recording_sid: String
    let call_id: String
    let workspace_id: String
    let account_sid: String
    let status: String
    let source_url: String
    let duration_seconds: Int?
    let object_key: String?
    let content_type: String?
    let size_bytes: Int64?
    let attempts: Int
    let queued_at: String?
    let error: String?
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn {
        case recording_sid, call_id, workspace_id, account_sid, status, source_url, duration_seconds, object_key, content_type, size_bytes
        case attempts, queued_at, error, created_at, updated_at
    }
    typealias Columns = CodingKeys

    static let statuses = ["pending", "stored", "absent", "failed"]

    /// Twilio's RecordingSid: it goes into the Recordings URL and the object key, so nothing else is taken.
    static func isSid(_ text: String) -> Bool {
        text.utf8.count == 34 && text.hasPrefix("RE") && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// What a call's answer shows of it; `url` serves the audio once it is stored.
    func json(callID: String) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return [
            "sid": .string(recording_sid), "status": .string(status), "duration_seconds": duration_seconds.map { .number(Double($0)) } ?? .null,
            "content_type": text(content_type), "size_bytes": size_bytes.map { .number(Double($0)) } ?? .null, "error": text(error),
            "url": status == "stored" ? .string("/api/v1/calls/\(callID)/recording") : .null, "created_at": .string(created_at),
        ]
    }

    static let schema = Schema.object([
        .required("sid", Schema.text(max: 64).described("Twilio's RecordingSid")),
        .required("status", Schema.oneOf(statuses).described("pending: being copied; stored: served at url; absent: too short or silent; failed")),
        .required("duration_seconds", Schema.integer(min: 0).nullable),
        .required("content_type", Schema.text(max: 100).nullable),
        .required("size_bytes", Schema.integer(min: 0).nullable),
        .required("error", Schema.text(max: 500).nullable.described("Why the audio is not stored")),
        .required("url", Schema.text(max: 200).nullable.described("Where the audio is served, with byte ranges")),
        .required("created_at", Schema.timestamp),
    ])
}
