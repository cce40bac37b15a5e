import OzziRuntime

/// One call the voice agent answered or placed, as its row holds it.
struct Call: Sendable, Decodable, SQLRecord {
    let id: String
    let workspace_id: String
    let number_id: String?
    let call_sid: String
    let account_sid: String
    let direction: String
    let from_number: String
    let to_number: String
    let contact_id: String?
    let status: String
    let context: JSONValue
    let after_hours: Bool
    let started_at: String
    let answered_at: String?
    let ended_at: String?
    let duration_seconds: Int?
    let interruptions: Int
    let session_status: String?
    let handoff_reason: String?
    let handoff_data: String?
    let callback_requested_at: String?
    let callback_note: String?
    let placed_by: String?
    let classification: String?
    let classified_by: String?
    let rating: Int?
    let rated_by: String?
    let review_status: String?
    let price_micros: Int64?
    let price_unit: String?
    let has_recording: Bool
    /// A conversation in the console's voice testing lab (text, no phone): not counted in the call center's totals.
    let lab: Bool
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn {
        case id, workspace_id, number_id, call_sid, account_sid, direction, from_number, to_number, contact_id, status, context, after_hours
        case started_at, answered_at, ended_at, duration_seconds, interruptions, session_status, handoff_reason, handoff_data
        case callback_requested_at, callback_note, placed_by, classification, classified_by, rating, rated_by, review_status
        case price_micros, price_unit, has_recording, lab, created_at, updated_at
    }
    typealias Columns = CodingKeys

    /// Twilio's statuses after which nothing more happens on the call.
    static let finalStatuses: Set<String> = ["completed", "busy", "no-answer", "failed", "canceled"]

    var scope: TenantScope { TenantScope(workspaceID: workspace_id) }

    /// The price as a decimal number of `price_unit`s.
    var price: Double? { price_micros.map { Double($0) / 1_000_000 } }

    /// What one call's answer adds to the list's.
    struct Detail: Sendable {
        let events: [CallEvent]
        let turns: [CallTurn]
        let review: CallReview?
        let recordings: [CallRecording]
    }

    /// The call as the API answers it; `detail` adds its status timeline, transcript, review and recordings.
    func answer(_ detail: Detail? = nil) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        var fields: [String: JSONValue] = [
            "id": .string(id), "number_id": text(number_id), "call_sid": .string(call_sid), "direction": .string(direction),
            "from": .string(from_number), "to": .string(to_number), "contact_id": text(contact_id), "status": .string(status),
            "context": context, "after_hours": .bool(after_hours), "started_at": .string(started_at), "answered_at": text(answered_at),
            "ended_at": text(ended_at), "duration_seconds": duration_seconds.map { .number(Double($0)) } ?? .null,
            "interruptions": .number(Double(interruptions)), "session_status": text(session_status), "handoff_reason": text(handoff_reason),
            "callback_requested_at": text(callback_requested_at), "callback_note": text(callback_note), "placed_by": text(placed_by),
            "classification": text(classification), "classified_by": text(classified_by), "rating": rating.map { .number(Double($0)) } ?? .null,
            "rated_by": text(rated_by), "review_status": text(review_status), "price": price.map { .number($0) } ?? .null,
            "price_unit": text(price_unit), "has_recording": .bool(has_recording), "lab": .bool(lab),
            "created_at": .string(created_at), "updated_at": .string(updated_at),
        ]
        if let detail {
            fields["events"] = .array(detail.events.map(\.json))
            fields["turns"] = .array(detail.turns.map(\.json))
            fields["review"] = detail.review?.json ?? .null
            fields["recordings"] = .array(detail.recordings.map { $0.json(callID: id) })
        }
        return .object(fields)
    }
}

/// One status Twilio reported for a call.
struct CallEvent: Sendable, Decodable, SQLRecord {
    let seq: Int
    let status: String
    let at: String

    enum CodingKeys: String, SQLColumn { case seq, status, at }
    typealias Columns = CodingKeys

    var json: JSONValue { ["seq": .number(Double(seq)), "status": .string(status), "at": .string(at)] }
}
