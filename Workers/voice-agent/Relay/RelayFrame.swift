import OzziRuntime

/// A ConversationRelay message from Twilio, read leniently (unknown keys ignored, a number given as a
/// string accepted). What cannot be read is `.invalid`, answered by ignoring it, never by a crash.
enum RelayFrame: Equatable {
    case setup(callSid: String, sessionID: String, customParameters: [String: String])
    case prompt(text: String, last: Bool, language: String?)
    case interrupt(heard: String, durationMs: Int?)
    case dtmf(digit: String)
    case error(description: String)
    case unknown(type: String)
    case invalid(reason: String)

    static func parse(_ text: String) -> RelayFrame {
        guard let value = try? JSONValue(jsonBytes: Array(text.utf8)), case .object(let o) = value else { return .invalid(reason: "not a JSON object") }
        guard let type = o["type"]?.stringValue else { return .invalid(reason: "no type") }
        switch type {
        case "setup":
            var parameters: [String: String] = [:]
            for (key, value) in o["customParameters"]?.objectValue ?? [:] { parameters[key] = value.stringValue ?? value.jsonText }
            return .setup(callSid: o["callSid"]?.stringValue ?? "", sessionID: o["sessionId"]?.stringValue ?? "", customParameters: parameters)
        case "prompt":
            guard let prompt = o["voicePrompt"]?.stringValue else { return .invalid(reason: "a prompt without voicePrompt") }
            return .prompt(text: prompt, last: flag(o["last"]) ?? true, language: o["lang"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        case "interrupt":
            return .interrupt(heard: o["utteranceUntilInterrupt"]?.stringValue ?? "", durationMs: number(o["durationUntilInterruptMs"]))
        case "dtmf":
            guard let digit = o["digit"]?.stringValue, !digit.isEmpty else { return .invalid(reason: "a dtmf without digit") }
            return .dtmf(digit: digit)
        case "error":
            return .error(description: o["description"]?.stringValue ?? "")
        default:
            return .unknown(type: type)
        }
    }

    private static func flag(_ value: JSONValue?) -> Bool? {
        switch value {
        case .bool(let flag): flag
        case .string(let text): text == "true" ? true : text == "false" ? false : nil
        default: nil
        }
    }

    private static func number(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let n): Int(exactly: n.rounded())
        case .string(let text): Int(text)
        default: nil
        }
    }
}

/// What we send Twilio over ConversationRelay.
enum RelayReply {
    static func text(_ token: String, last: Bool) -> String {
        (["type": "text", "token": .string(token), "last": .bool(last)] as JSONValue).jsonText
    }

    /// Ends the session; Twilio then calls the Connect action with `handoffData` (a JSON string).
    static func end(handoff: JSONValue) -> String {
        (["type": "end", "handoffData": .string(handoff.jsonText)] as JSONValue).jsonText
    }

    /// The voice lab's own message, never sent to Twilio: one of the agent's tool calls as it starts
    /// (`running`) and as it answers (`done`, with its result), so a person trying the agent sees its tools run.
    static func labTool(_ call: ToolCall, result: JSONValue? = nil) -> String {
        var message: [String: JSONValue] = ["type": "lab.tool", "id": .string(call.id), "name": .string(call.name),
                                            "arguments": .object(call.parsedArguments), "state": result == nil ? "running" : "done"]
        if let result { message["result"] = result }
        return JSONValue.object(message).jsonText
    }

    /// The voice lab's acknowledgement of an interrupt: no word of the answer it cut off comes after it.
    static let labInterrupted = (["type": "lab.interrupted"] as JSONValue).jsonText

    static func language(_ tag: String) -> String {
        (["type": "language", "ttsLanguage": .string(tag), "transcriptionLanguage": .string(tag)] as JSONValue).jsonText
    }
}
