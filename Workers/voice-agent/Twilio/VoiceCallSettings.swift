import OzziRuntime

/// A number's settings as the api answers them, read for one call: what ConversationRelay is told, what
/// the agent knows, the keypad menu, and whether a human can take over.
struct VoiceCallSettings: Sendable {
    struct MenuOption: Sendable {
        let action: String
        let text: String
    }

    let greeting: String
    let language: String
    let ttsProvider: String
    let voice: String
    let transcriptionProvider: String
    let interruptible: String
    let dtmfDetection: Bool
    let systemPrompt: String
    let knowledge: [(topic: String, answer: String)]
    let menu: [String: MenuOption]
    let afterHoursMessage: String
    let transferTo: String?
    /// Whether calls are recorded (`<Start><Recording>`).
    let recordCalls: Bool
    /// An outbound call's purpose and facts (`POST /outbound`'s context and variables).
    let callContext: String
    let variables: [(String, String)]

    init(json: JSONValue, context: JSONValue = [:]) {
        callContext = context["context"]?.stringValue ?? ""
        variables = (context["variables"]?.objectValue ?? [:]).compactMap { key, value in value.stringValue.map { (key, $0) } }.sorted { $0.0 < $1.0 }
        greeting = json["greeting"]?.stringValue ?? ""
        language = json["language"]?.stringValue ?? "en-US"
        ttsProvider = json["tts_provider"]?.stringValue ?? "ElevenLabs"
        voice = json["voice"]?.stringValue ?? ""
        transcriptionProvider = json["transcription_provider"]?.stringValue ?? "Deepgram"
        interruptible = json["interruptible"]?.stringValue ?? "any"
        dtmfDetection = json["dtmf_detection"]?.boolValue ?? true
        systemPrompt = json["system_prompt"]?.stringValue ?? ""
        knowledge = (json["knowledge"]?.arrayValue ?? []).compactMap { entry in
            guard let topic = entry["topic"]?.stringValue, let answer = entry["answer"]?.stringValue else { return nil }
            return (topic, answer)
        }
        var menu: [String: MenuOption] = [:]
        for (digit, option) in json["menu"]?.objectValue ?? [:] {
            guard let action = option["action"]?.stringValue else { continue }
            menu[digit] = MenuOption(action: action, text: option["text"]?.stringValue ?? "")
        }
        self.menu = menu
        afterHoursMessage = json["after_hours_message"]?.stringValue ?? ""
        transferTo = json["transfer_to"]?.stringValue
        recordCalls = json["record_calls"]?.boolValue ?? false
    }

    /// What the model is told before the conversation: the number's prompt, its knowledge, the rules of a phone call.
    var instructions: String {
        var text = systemPrompt
        if !knowledge.isEmpty {
            text += "\n\nWhat you know:\n" + knowledge.map { "- \($0.topic): \($0.answer)" }.joined(separator: "\n")
        }
        if !callContext.isEmpty || !variables.isEmpty {
            text += "\n\nYou placed this call. " + callContext
            if !variables.isEmpty { text += "\nFacts: " + variables.map { "\($0.0) = \($0.1)" }.joined(separator: "; ") }
        }
        text += "\n\nYou are speaking on the phone: answer in short spoken sentences, no lists or markup. Use the tools to look up the caller, "
            + "take a message, schedule a callback, text the caller, transfer to a person (when asked, or when you cannot help), or end the call."
        return text
    }
}
