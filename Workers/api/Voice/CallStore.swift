import OzziRuntime

/// All SQL about calls: a call begins at Twilio's first webhook (or our outbound request), gathers its
/// status timeline and transcript, and ends with the session's outcome. Every change records an event
/// for the live stream and outgoing webhooks.
struct CallStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let select = "SELECT \(Call.selection) FROM calls"

    struct Start: Sendable {
        let callSid: String
        let accountSid: String
        let direction: String
        let from: String
        let to: String
        let status: String
        let context: JSONValue
        let afterHours: Bool
        /// The member who called from the browser, or who talks to the agent in the voice lab.
        var placedBy: String? = nil
        var lab = false
    }

    /// The call for `start.callSid`, made the first time (Twilio may repeat its webhook); its contact is the
    /// one whose phone is the other party's.
    func begin(_ scope: TenantScope, number: VoiceNumber?, _ start: Start) async throws -> Call {
        let id = ResourceID.make("call")
        let now = Timestamp.now(clock)
        let party = start.direction == "inbound" ? start.from : start.to
        try await database.transaction { tx in
            guard try tx.all("SELECT 1 FROM calls WHERE call_sid = ?", start.callSid).isEmpty else { return }
            let contact = try tx.all("SELECT id FROM contacts WHERE workspace_id = ? AND phone = ?", scope.workspaceID, party).first?.text("id")
            try tx.run("""
                INSERT INTO calls (id, workspace_id, number_id, call_sid, account_sid, direction, from_number, to_number, contact_id, status, context,
                  after_hours, started_at, interruptions, placed_by, lab, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                """, id, scope.workspaceID, number?.id, start.callSid, start.accountSid, start.direction, start.from, start.to, contact, start.status,
                start.context.jsonText, start.afterHours ? 1 : 0, now, start.placedBy, start.lab ? 1 : 0, now, now)
            try tx.run("INSERT INTO call_events (call_id, seq, workspace_id, status, at) VALUES (?, 1, ?, ?, ?)", id, scope.workspaceID, start.status, now)
            try WorkspaceEvents.record(tx, [(scope, "call.started", Self.event(id, ["direction": .string(start.direction), "from": .string(start.from),
                                                                                      "to": .string(start.to), "status": .string(start.status)]))], at: now)
        }
        return try await bySid(start.callSid)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Call? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Call.self)
    }

    /// A call by id in whichever workspace: the voice-agent worker names calls by id alone.
    func byID(_ id: String) async throws -> Call? {
        try await database.prepare(Self.select + " WHERE id = ?").bind(id).first(Call.self)
    }

    func bySid(_ callSid: String) async throws -> Call? {
        try await database.prepare(Self.select + " WHERE call_sid = ?").bind(callSid).first(Call.self)
    }

    /// Newest first by start, narrowed by `filters`; pages by keyset on (started_at, id).
    func list(_ scope: TenantScope, filters: CallFilters, page: PageRequest) async throws -> [Call] {
        var (conditions, values) = filters.sql(scope)
        if page.after != nil {
            let (at, id) = page.afterKeyAndID
            conditions.append("(started_at < ? OR (started_at = ? AND id < ?))")
            values += [at, at, id]
        }
        return try await database.prepare(Self.select + " WHERE \(conditions.joined(separator: " AND ")) ORDER BY started_at DESC, id DESC LIMIT ?")
            .bind(values + [page.limit + 1]).all(Call.self)
    }

    /// A person classifies or rates a call (nil leaves that field as it is); nil when there is no such call.
    func judge(_ scope: TenantScope, id: String, classification: String?, rating: Int?, by memberID: String) async throws -> Call? {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> Call? in
            let (before, after) = try Self.changing(tx, id) {
                if let classification {
                    try tx.run("UPDATE calls SET classification = ?, classified_by = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                               classification, memberID, now, scope.workspaceID, id)
                }
                if let rating {
                    try tx.run("UPDATE calls SET rating = ?, rated_by = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                               rating, memberID, now, scope.workspaceID, id)
                }
            }
            guard let before, before.workspace_id == scope.workspaceID, let after else { return nil }
            var data: [String: JSONValue] = ["by": .string(memberID)]
            if let classification { data["classification"] = .string(classification) }
            if let rating { data["rating"] = .number(Double(rating)) }
            try WorkspaceEvents.record(tx, [(scope, "call.judged", Self.event(id, data))], at: now)
            return after
        }
    }

    func detail(_ call: Call) async throws -> Call.Detail {
        let events = try await database.prepare("SELECT \(CallEvent.selection) FROM call_events WHERE call_id = ? ORDER BY seq").bind(call.id).all(CallEvent.self)
        let recordings = try await database.prepare("SELECT \(CallRecording.selection) FROM call_recordings WHERE call_id = ? ORDER BY created_at, recording_sid")
            .bind(call.id).all(CallRecording.self)
        return Call.Detail(events: events, turns: try await turns(call), review: try await review(call), recordings: recordings)
    }

    /// The review of a call as people see it (their corrections applied).
    func review(_ call: Call) async throws -> CallReview? {
        try await database.prepare("SELECT \(CallReview.selection) FROM call_reviews WHERE call_id = ?").bind(call.id).first(CallReview.self)
    }

    /// A contact's most recent ended call: what a follow-up follows up (a voice lab conversation is not one).
    func latestEnded(_ scope: TenantScope, contactID: String) async throws -> Call? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND contact_id = ? AND ended_at IS NOT NULL AND lab = 0 ORDER BY started_at DESC, id DESC LIMIT 1")
            .bind(scope.workspaceID, contactID).first(Call.self)
    }

    func turns(_ call: Call) async throws -> [CallTurn] {
        try await database.prepare("SELECT \(CallTurn.selection) FROM call_turns WHERE call_id = ? ORDER BY seq").bind(call.id).all(CallTurn.self)
    }

    /// A status Twilio reported: added to the timeline unless this `sequenceNumber` was seen (a repeated
    /// callback), and made the call's status unless the call already ended (callbacks may arrive out of order).
    /// True when this report ended the call: the caller then starts what follows an end (`VoiceDomain.wrapUp`);
    /// an answered call's review is pending from here (one nobody answered has nothing to review).
    @discardableResult
    func report(_ call: Call, status: String, sequenceNumber: Int?, durationSeconds: Int?) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> Bool in
            if let sequenceNumber,
               try !tx.all("SELECT 1 FROM call_events WHERE call_id = ? AND sequence_number = ?", call.id, sequenceNumber).isEmpty { return false }
            let seq = Int(try tx.all("SELECT coalesce(max(seq), 0) AS top FROM call_events WHERE call_id = ?", call.id).first?.integer("top") ?? 0) + 1
            try tx.run("INSERT INTO call_events (call_id, seq, workspace_id, status, sequence_number, at) VALUES (?, ?, ?, ?, ?, ?)",
                       call.id, seq, call.workspace_id, status, sequenceNumber, now)
            let final = Call.finalStatuses.contains(status)
            let (before, after) = try Self.changing(tx, call.id) {
                try tx.run("""
                    UPDATE calls SET status = CASE WHEN ended_at IS NULL THEN ? ELSE status END,
                      answered_at = CASE WHEN answered_at IS NULL AND ? = 'in-progress' THEN ? ELSE answered_at END,
                      review_status = CASE WHEN ended_at IS NULL AND ? = 1 AND answered_at IS NOT NULL THEN 'pending' ELSE review_status END,
                      ended_at = CASE WHEN ended_at IS NULL AND ? = 1 THEN ? ELSE ended_at END,
                      duration_seconds = coalesce(?, duration_seconds), updated_at = ? WHERE id = ?
                    """, status, status, now, final ? 1 : 0, final ? 1 : 0, now, durationSeconds, now, call.id)
            }
            try WorkspaceEvents.record(tx, [(call.scope, final ? "call.ended" : "call.status",
                                             Self.event(call.id, ["status": .string(status), "duration_seconds": durationSeconds.map { .number(Double($0)) } ?? .null]))],
                                       at: now)
            return before?.ended_at == nil && after?.ended_at != nil
        }
    }

    /// Runs `update` on call `id` within `tx`, moving the dashboard's totals from the row before to the row after.
    static func changing(_ tx: SQLTransaction, _ id: String, _ update: () throws -> Void) throws -> (before: Call?, after: Call?) {
        let before = try tx.first(Call.self, select + " WHERE id = ?", id)
        try update()
        let after = try tx.first(Call.self, select + " WHERE id = ?", id)
        try CallDailyStats.move(tx, from: before, to: after)
        return (before, after)
    }

    /// The relay's socket opened: the call was answered (Twilio reports `in-progress` only to a status
    /// callback, which a number may not have).
    func connected(_ call: Call) async throws {
        let now = Timestamp.now(clock)
        try await database.prepare("""
            UPDATE calls SET answered_at = coalesce(answered_at, ?),
              status = CASE WHEN status IN ('queued', 'ringing', 'initiated') THEN 'in-progress' ELSE status END, updated_at = ? WHERE id = ?
            """).bind(now, now, call.id).run()
    }

    /// Appends turns in the order given; interrupted agent turns are counted.
    func append(_ call: Call, turns: [CallTurn.Reported]) async throws {
        guard !turns.isEmpty else { return }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            var seq = Int(try tx.all("SELECT coalesce(max(seq), 0) AS top FROM call_turns WHERE call_id = ?", call.id).first?.integer("top") ?? 0)
            var events: [(TenantScope, String, JSONValue)] = []
            for turn in turns {
                seq += 1
                try tx.run("INSERT INTO call_turns (call_id, seq, workspace_id, role, text, interrupted, tool, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           call.id, seq, call.workspace_id, turn.role, turn.text, turn.interrupted ? 1 : 0,
                           turn.tool.map { $0.jsonText }, Timestamp.at(milliseconds: turn.atMilliseconds))
                events.append((call.scope, "call.turn", Self.event(call.id, ["seq": .number(Double(seq)), "role": .string(turn.role), "text": .string(turn.text),
                                                                            "interrupted": .bool(turn.interrupted)])))
            }
            let interrupted = turns.filter { $0.role == "agent" && $0.interrupted }.count
            try tx.run("UPDATE calls SET interruptions = interruptions + ?, updated_at = ? WHERE id = ?", interrupted, now, call.id)
            try WorkspaceEvents.record(tx, events, at: now)
        }
    }

    /// The ConversationRelay session ended (Twilio's Connect action): its status and any handoff.
    func sessionEnded(_ call: Call, sessionStatus: String, handoffData: String?, handoffReason: String?) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                UPDATE calls SET session_status = ?, handoff_data = coalesce(?, handoff_data), handoff_reason = coalesce(?, handoff_reason), updated_at = ?
                  WHERE id = ?
                """, sessionStatus, handoffData, handoffReason, now, call.id)
            var data: [String: JSONValue] = ["session_status": .string(sessionStatus)]
            if let handoffReason { data["handoff_reason"] = .string(handoffReason) }
            try WorkspaceEvents.record(tx, [(call.scope, handoffReason == nil ? "call.session_ended" : "call.handoff", Self.event(call.id, data))], at: now)
        }
    }

    /// The caller asked to be called back (the agent's `schedule_callback`): kept on the call for the team.
    func requestCallback(_ call: Call, note: String, at: String) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("UPDATE calls SET callback_requested_at = ?, callback_note = ?, updated_at = ? WHERE id = ?", at, note, now, call.id)
            try WorkspaceEvents.record(tx, [(call.scope, "call.callback_requested", Self.event(call.id, ["at": .string(at), "note": .string(note)]))], at: now)
        }
    }

    static func event(_ callID: String, _ fields: [String: JSONValue]) -> JSONValue {
        var data = fields
        data["call_id"] = .string(callID)
        return .object(data)
    }
}
