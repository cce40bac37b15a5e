import OzziRuntime

/// How a number's calls go: what ConversationRelay is told (greeting, language, voices, interruption,
/// DTMF), what the agent knows (its prompt and knowledge), the keypad menu, business hours with the
/// after-hours message, and the human a call is transferred to.
struct VoiceSettings: Sendable, Equatable {
    var greeting = "Hello! How can I help you today?"
    var language = "en-US"
    var ttsProvider = "ElevenLabs"
    var voice = ""
    var transcriptionProvider = "Deepgram"
    var interruptible = "any"
    var dtmfDetection = true
    var systemPrompt = "You are a friendly phone assistant."
    var knowledge: [Knowledge] = []
    var menu: [String: MenuOption] = [:]
    /// nil: always open.
    var businessHours: BusinessHours?
    var afterHoursMessage = "We are closed right now. Please call again during business hours."
    /// E.164; nil: no human to hand over to (the agent says so).
    var transferTo: String?
    /// What a successful call on this number is, in plain words: the AI review judges each call against it.
    var reviewRubric = ""
    /// Each call is recorded (both parties) and the recording kept with the call. Off until a workspace
    /// turns it on: where every party must consent to a recording, it is theirs to decide and announce.
    var recordCalls = false

    struct Knowledge: Sendable, Equatable {
        let topic: String
        let answer: String
    }

    /// A keypad digit's meaning: `say` its text, `transfer` to the human, `end` the call, or `ask` the agent
    /// its text as if the caller had said it.
    struct MenuOption: Sendable, Equatable {
        let action: String
        let text: String
    }

    /// What `isLanguageTag` and `word` accept, for the document.
    static let languagePattern = "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
    static let providerPattern = "^[A-Za-z0-9._-]+$"
    static let interruptibleValues = ["none", "dtmf", "speech", "any"]
    static let menuActions = ["say", "transfer", "end", "ask"]
    static let keys: Set<String> = ["greeting", "language", "tts_provider", "voice", "transcription_provider", "interruptible", "dtmf_detection",
                                    "system_prompt", "knowledge", "menu", "business_hours", "after_hours_message", "transfer_to",
                                    "review_rubric", "record_calls"]

    /// Outside business hours at this instant (a number without hours is always open).
    func isClosed(atMilliseconds milliseconds: Int64) -> Bool {
        !(businessHours?.isOpen(atMilliseconds: milliseconds) ?? true)
    }

    /// `self` with what `body` gives (top-level keys of a number's body); a change names only what it changes.
    func changed(by body: JSONBody, defaultCountry: String) throws -> VoiceSettings {
        var next = self
        if let greeting = try body.string("greeting", max: 500) { next.greeting = greeting }
        if let language = try body.string("language", max: 35) {
            guard Self.isLanguageTag(language) else { throw APIError.invalidField("language", "must be a language tag such as en-US") }
            next.language = language
        }
        if let provider = try body.string("tts_provider", max: 40) { next.ttsProvider = try Self.word(provider, "tts_provider") }
        if let voice = try body.string("voice", max: 100) { next.voice = voice }
        if let provider = try body.string("transcription_provider", max: 40) { next.transcriptionProvider = try Self.word(provider, "transcription_provider") }
        if let value = try body.choice("interruptible", Self.interruptibleValues) { next.interruptible = value }
        if let flag = try body.bool("dtmf_detection") { next.dtmfDetection = flag }
        if let prompt = try body.string("system_prompt", max: 8_000) { next.systemPrompt = prompt }
        if let rubric = try body.string("review_rubric", max: 4_000) { next.reviewRubric = rubric }
        if let flag = try body.bool("record_calls") { next.recordCalls = flag }
        if let message = try body.string("after_hours_message", max: 500) {
            guard !message.isEmpty else { throw APIError.invalidField("after_hours_message", "must not be empty") }
            next.afterHoursMessage = message
        }
        if body.fields["transfer_to"] == .null { next.transferTo = nil }
        if let number = try body.string("transfer_to", max: 40) { next.transferTo = try ContactInput.phone(number, defaultCountry: defaultCountry, field: "transfer_to") }
        if body.fields["business_hours"] == .null { next.businessHours = nil }
        if let hours = body.fields["business_hours"], hours != .null { next.businessHours = try BusinessHours.parse(hours, field: "business_hours") }
        if let knowledge = body.fields["knowledge"], knowledge != .null { next.knowledge = try Self.knowledge(knowledge) }
        if let menu = body.fields["menu"], menu != .null { next.menu = try Self.menu(menu) }
        return next
    }

    private static func knowledge(_ value: JSONValue) throws -> [Knowledge] {
        guard case .array(let items) = value, items.count <= 100 else { throw APIError.invalidField("knowledge", "must be an array of at most 100 {topic, answer}") }
        return try items.enumerated().map { index, item in
            guard case .object(let o) = item, let topic = o["topic"]?.stringValue, let answer = o["answer"]?.stringValue,
                  !topic.isEmpty, topic.count <= 200, !answer.isEmpty, answer.count <= 4_000, o.count == 2 else {
                throw APIError.invalidField("knowledge[\(index)]", "must be {topic (1-200 characters), answer (1-4,000 characters)}")
            }
            return Knowledge(topic: topic, answer: answer)
        }
    }

    private static func menu(_ value: JSONValue) throws -> [String: MenuOption] {
        guard case .object(let o) = value else { throw APIError.invalidField("menu", "must be an object of keypad digit -> {action, text}") }
        var menu: [String: MenuOption] = [:]
        for (digit, option) in o.sorted(by: { $0.key < $1.key }) {
            guard digit.count == 1, "0123456789*#".contains(digit) else { throw APIError.invalidField("menu.\(digit)", "is not a keypad key (0-9, *, #)") }
            guard case .object(let fields) = option, let action = fields["action"]?.stringValue, menuActions.contains(action) else {
                throw APIError.invalidField("menu.\(digit).action", "must be one of \(menuActions.joined(separator: ", "))")
            }
            let text = fields["text"]?.stringValue ?? ""
            guard text.count <= 1_000 else { throw APIError.invalidField("menu.\(digit).text", "must be at most 1000 characters") }
            if (action == "say" || action == "ask") && text.isEmpty { throw APIError.invalidField("menu.\(digit).text", "is required for \(action)") }
            menu[digit] = MenuOption(action: action, text: text)
        }
        return menu
    }

    /// A provider's or voice's name goes into a TwiML attribute: letters, digits and `-_.` only.
    private static func word(_ text: String, _ field: String) throws -> String {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 }) else {
            throw APIError.invalidField(field, "must be a provider name (letters, digits, - _ .)")
        }
        return text
    }

    private static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return (2...3).contains(parts[0].count) && parts[0].allSatisfy { $0.isASCII && $0.isLetter }
            && parts.allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    init() {}

    init(json: JSONValue) {
        let o = json.objectValue ?? [:]
        greeting = o["greeting"]?.stringValue ?? greeting
        language = o["language"]?.stringValue ?? language
        ttsProvider = o["tts_provider"]?.stringValue ?? ttsProvider
        voice = o["voice"]?.stringValue ?? voice
        transcriptionProvider = o["transcription_provider"]?.stringValue ?? transcriptionProvider
        interruptible = o["interruptible"]?.stringValue ?? interruptible
        dtmfDetection = o["dtmf_detection"]?.boolValue ?? dtmfDetection
        systemPrompt = o["system_prompt"]?.stringValue ?? systemPrompt
        knowledge = (o["knowledge"]?.arrayValue ?? []).compactMap { item in
            guard let topic = item["topic"]?.stringValue, let answer = item["answer"]?.stringValue else { return nil }
            return Knowledge(topic: topic, answer: answer)
        }
        for (digit, option) in o["menu"]?.objectValue ?? [:] {
            guard let action = option["action"]?.stringValue else { continue }
            menu[digit] = MenuOption(action: action, text: option["text"]?.stringValue ?? "")
        }
        businessHours = o["business_hours"].flatMap { try? BusinessHours.parse($0, field: "business_hours") }
        afterHoursMessage = o["after_hours_message"]?.stringValue ?? afterHoursMessage
        transferTo = o["transfer_to"]?.stringValue
        reviewRubric = o["review_rubric"]?.stringValue ?? reviewRubric
        recordCalls = o["record_calls"]?.boolValue ?? recordCalls
    }

    var json: JSONValue {
        ["greeting": .string(greeting), "language": .string(language), "tts_provider": .string(ttsProvider), "voice": .string(voice),
         "transcription_provider": .string(transcriptionProvider), "interruptible": .string(interruptible), "dtmf_detection": .bool(dtmfDetection),
         "system_prompt": .string(systemPrompt),
         "knowledge": .array(knowledge.map { ["topic": .string($0.topic), "answer": .string($0.answer)] }),
         "menu": .object(menu.mapValues { ["action": .string($0.action), "text": .string($0.text)] }),
         "business_hours": businessHours?.json ?? .null, "after_hours_message": .string(afterHoursMessage),
         "transfer_to": transferTo.map { .string($0) } ?? .null, "review_rubric": .string(reviewRubric),
         "record_calls": .bool(recordCalls)]
    }
}
