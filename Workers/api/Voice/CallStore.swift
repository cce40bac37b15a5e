import OzziRuntime

/// All SQL about calls: a call begins at Twilio's first webhook (or our outbound request), gathers its
/// status timeline and transcript, and ends with the session's outcome. Every change records an event
/// for the live stream and outgoing webhooks.
struct CallStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(Call.selection) FROM calls"

    struct Start: Sendable {
        let callSid: String
        let accountSid: String
        let direction: String
        let from: String
        let to: String
        let status: String
        let context: JSONValue
        let afterHours: Bool
        /// The member who called from the browser.
        var placedBy: String? = nil
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
                  after_hours, started_at, interruptions, placed_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                """, id, scope.workspaceID, number?.id, start.callSid, start.accountSid, start.direction, start.from, start.to, contact, start.status,
                start.context.jsonText, start.afterHours ? 1 : 0, now, start.placedBy, now, now)
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

    /// Newest first; `status`, `direction`, `number_id` and `contact_id` narrow the list.
    func list(_ scope: TenantScope, page: PageRequest, filters: [String: String]) async throws -> [Call] {
        var conditions = ["workspace_id = ?"]
        var values: [SQLValue] = [.text(scope.workspaceID)]
        if let after = page.after {
            conditions.append("id < ?")
            values.append(.text(after))
        }
        for column in ["status", "direction", "number_id", "contact_id"] {
            guard let value = filters[column] else { continue }
            conditions.append("\(column) = ?")
            values.append(.text(value))
        }
        values.append(.integer(Int64(page.limit + 1)))
        return try await database.prepare(Self.select + " WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?")
            .bind(values).all(Call.self)
    }

    func detail(_ call: Call) async throws -> (events: [CallEvent], turns: [CallTurn]) {
        let events = try await database.prepare("SELECT \(CallEvent.selection) FROM call_events WHERE call_id = ? ORDER BY seq").bind(call.id).all(CallEvent.self)
        let turns = try await database.prepare("SELECT \(CallTurn.selection) FROM call_turns WHERE call_id = ? ORDER BY seq").bind(call.id).all(CallTurn.self)
        return (events, turns)
    }

    /// A status Twilio reported: added to the timeline unless this `sequenceNumber` was seen (a repeated
    /// callback), and made the call's status unless the call already ended (callbacks may arrive out of order).
    func report(_ call: Call, status: String, sequenceNumber: Int?, durationSeconds: Int?) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            if let sequenceNumber,
               try !tx.all("SELECT 1 FROM call_events WHERE call_id = ? AND sequence_number = ?", call.id, sequenceNumber).isEmpty { return }
            let seq = Int(try tx.all("SELECT coalesce(max(seq), 0) AS top FROM call_events WHERE call_id = ?", call.id).first?.integer("top") ?? 0) + 1
            try tx.run("INSERT INTO call_events (call_id, seq, workspace_id, status, sequence_number, at) VALUES (?, ?, ?, ?, ?, ?)",
                       call.id, seq, call.workspace_id, status, sequenceNumber, now)
            let final = Call.finalStatuses.contains(status)
            try tx.run("""
                UPDATE calls SET status = CASE WHEN ended_at IS NULL THEN ? ELSE status END,
                  answered_at = CASE WHEN answered_at IS NULL AND ? = 'in-progress' THEN ? ELSE answered_at END,
                  ended_at = CASE WHEN ended_at IS NULL AND ? = 1 THEN ? ELSE ended_at END,
                  duration_seconds = coalesce(?, duration_seconds), updated_at = ? WHERE id = ?
                """, status, status, now, final ? 1 : 0, now, durationSeconds, now, call.id)
            try WorkspaceEvents.record(tx, [(call.scope, final ? "call.ended" : "call.status",
                                             Self.event(call.id, ["status": .string(status), "duration_seconds": durationSeconds.map { .number(Double($0)) } ?? .null]))],
                                       at: now)
        }
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

    private static func event(_ callID: String, _ fields: [String: JSONValue]) -> JSONValue {
        var data = fields
        data["call_id"] = .string(callID)
        return .object(data)
    }
}
