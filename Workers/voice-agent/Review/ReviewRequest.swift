import OzziRuntime

/// What the api sends to `POST /review` once a call has ended: the call's facts, the number's rubric and the
/// transcript. `call.direction`, `call.status`, `turns` and each turn's `role` and `text` are required;
/// `duration_seconds` and `handoff_reason` may be null or absent, the flags absent (false), `rubric` absent
/// (none). A field of the wrong type is refused with 422 `invalid_field` naming it (`turns[2].role`).
struct ReviewRequest: Sendable, Equatable {
    struct Call: Sendable, Equatable {
        enum Direction: String, Sendable { case inbound, outbound }

        var direction: Direction
        /// The call's last status (`completed`, `busy`, `no-answer`, ...).
        var status: String
        var durationSeconds: Int?
        /// Why the agent handed the call to a person, if it did.
        var handoffReason: String?
        var callbackRequested: Bool
    }

    struct Turn: Sendable, Equatable {
        enum Role: String, Sendable { case caller, agent, tool }

        /// A tool the agent ran: its result holds `error` when it failed.
        struct Tool: Sendable, Equatable {
            var name: String
            var arguments: JSONValue
            var result: JSONValue

            var failed: Bool { result["error"] != nil }
        }

        var role: Role
        var text: String
        var interrupted = false
        var tool: Tool?
    }

    var call: Call
    /// What counts as a successful call for this number; empty when the number has none.
    var rubric: String
    var turns: [Turn]

    init(call: Call, rubric: String = "", turns: [Turn]) {
        self.call = call
        self.rubric = rubric
        self.turns = turns
    }

    init(body: [UInt8]) throws(VoiceError) {
        guard let json = try? JSONValue(jsonBytes: body), json.objectValue != nil else { throw Self.invalid("body", "must be a JSON object") }
        try self.init(json: json)
    }

    init(json: JSONValue) throws(VoiceError) {
        guard let call = json["call"], call.objectValue != nil else { throw Self.invalid("call", "must be an object") }
        guard let direction = call["direction"]?.stringValue.flatMap(Call.Direction.init) else {
            throw Self.invalid("call.direction", "must be inbound or outbound")
        }
        guard let status = call["status"]?.stringValue, !status.isEmpty else { throw Self.invalid("call.status", "must be the call's status") }
        var duration: Int?
        if let value = call["duration_seconds"], value != .null {
            guard let seconds = value.numberValue, seconds.rounded() == seconds, seconds >= 0, seconds < 1e9 else {
                throw Self.invalid("call.duration_seconds", "must be a whole number of seconds, or null")
            }
            duration = Int(seconds)
        }
        self.call = Call(direction: direction, status: status, durationSeconds: duration,
                         handoffReason: try Self.optionalText(call["handoff_reason"], "call.handoff_reason").flatMap { $0.isEmpty ? nil : $0 },
                         callbackRequested: try Self.flag(call["callback_requested"], "call.callback_requested"))
        rubric = try Self.optionalText(json["rubric"], "rubric") ?? ""
        guard let turns = json["turns"]?.arrayValue else { throw Self.invalid("turns", "must be a list of turns") }
        self.turns = try turns.enumerated().map { index, turn throws(VoiceError) in try Self.turn(turn, "turns[\(index)]") }
    }

    /// The call as a model reads it: its facts, then one line per turn.
    var transcript: String {
        var facts = ["\(call.direction.rawValue) call", "status \(call.status)"]
        if let seconds = call.durationSeconds { facts.append("\(seconds) seconds") }
        if let reason = call.handoffReason { facts.append("handed to a person: \(reason)") }
        if call.callbackRequested { facts.append("the caller asked to be called back") }
        var lines = ["Call: " + facts.joined(separator: "; ") + ".", "Transcript:"]
        for turn in turns {
            switch turn.role {
            case .caller: lines.append("Caller: " + turn.text)
            case .agent: lines.append("Agent: " + turn.text + (turn.interrupted ? " [interrupted by the caller]" : ""))
            case .tool:
                if let tool = turn.tool {
                    lines.append("Tool \(tool.name)(\(tool.arguments.jsonText)) -> \(tool.result.jsonText)")
                } else {
                    lines.append("Tool " + turn.text)
                }
            }
        }
        if turns.isEmpty { lines.append("(nothing was said)") }
        return lines.joined(separator: "\n")
    }

    private static func turn(_ json: JSONValue, _ field: String) throws(VoiceError) -> Turn {
        guard json.objectValue != nil else { throw invalid(field, "must be an object") }
        guard let role = json["role"]?.stringValue.flatMap(Turn.Role.init) else { throw invalid(field + ".role", "must be caller, agent or tool") }
        guard let text = json["text"]?.stringValue else { throw invalid(field + ".text", "must be a text") }
        var tool: Turn.Tool?
        if let value = json["tool"], value != .null {
            guard value.objectValue != nil else { throw invalid(field + ".tool", "must be an object or null") }
            guard let name = value["name"]?.stringValue, !name.isEmpty else { throw invalid(field + ".tool.name", "must be the tool's name") }
            tool = Turn.Tool(name: name, arguments: value["arguments"] ?? .null, result: value["result"] ?? .null)
        }
        return Turn(role: role, text: text, interrupted: try flag(json["interrupted"], field + ".interrupted"), tool: tool)
    }

    private static func optionalText(_ value: JSONValue?, _ field: String) throws(VoiceError) -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.stringValue else { throw invalid(field, "must be a text, or null") }
        return text
    }

    private static func flag(_ value: JSONValue?, _ field: String) throws(VoiceError) -> Bool {
        guard let value else { return false }
        guard let flag = value.boolValue else { throw invalid(field, "must be true or false") }
        return flag
    }

    private static func invalid(_ field: String, _ why: String) -> VoiceError {
        VoiceError(status: 422, code: "invalid_field", message: "\(field): \(why)", details: ["field": .string(field)])
    }
}
