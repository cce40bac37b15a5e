import OzziRuntime

extension VoiceNumber: APIModel {
    static var schemaName: String { "VoiceNumber" }

    static let schema = Schema.object([
        .required("id", Schema.string().example("vnum_01jd3k5v7n0000000000000000")),
        .required("phone_number", Schema.string(format: "phone").example("+12025550100")),
        .required("name", Schema.string().example("Front desk")),
        .required("enabled", Schema.boolean.described("A disabled number's calls hear it is not in service")),
        .required("source", Schema.oneOf(["manual", "twilio", "simulated"]).described("Added by hand, or by a sync of the provider's numbers")),
        .required("provider_sid", Schema.string().nullable.example("PN0123456789abcdef0123456789abcdef").described("Twilio's sid of a synced number")),
        .required("released_at", Schema.timestamp.nullable.described("When a sync found the number gone from the account (it is disabled)")),
    ] + settingsProperties(answer: true) + [
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)

    /// A number as a body: the number and a name to create one; any field to change one.
    static func body(creating: Bool) -> Schema {
        let phone = Schema.string(min: 1, max: 40, format: "phone").example("+12025550100").described("The Twilio number, E.164 or national in DEFAULT_COUNTRY")
        let name = Schema.text(max: 100).example("Front desk")
        var fields: [Property] = [
            creating ? .required("phone_number", phone) : .optional("phone_number", phone.nullable),
            creating ? .required("name", name) : .optional("name", name.nullable),
            .optional("enabled", Schema.boolean.nullable),
        ]
        fields += settingsProperties(answer: false)
        return .object(fields, closed: true)
    }

    private static func settingsProperties(answer: Bool) -> [Property] {
        func field(_ name: String, _ schema: Schema) -> Property {
            answer ? .required(name, schema) : .optional(name, schema.nullable)
        }
        let hours = BusinessHours.schema
        let option = Schema.object([
            .required("action", Schema.oneOf(VoiceSettings.menuActions)
                .described("say: speak the text; transfer: to transfer_to; end: hang up; ask: put the text to the agent")),
            .optional("text", Schema.string(max: 1_000).described("Required (not empty) for say and ask")),
        ], closed: true)
        return [
            field("greeting", Schema.string(max: 500).example("Thanks for calling Harbour Dental. How can I help?").described("Spoken when the call connects")),
            field("language", Schema.string(min: 2, max: 35, pattern: VoiceSettings.languagePattern).example("en-US").patternMeaning("a language tag such as en-US")),
            field("tts_provider", Schema.string(min: 1, max: 40, pattern: VoiceSettings.providerPattern).example("ElevenLabs")
                .patternMeaning("a provider name (letters, digits, - _ .)")),
            field("voice", Schema.string(max: 100).example("UgBBYS2sOqTuMpoF3BR0")),
            field("transcription_provider", Schema.string(min: 1, max: 40, pattern: VoiceSettings.providerPattern).example("Deepgram")
                .patternMeaning("a provider name (letters, digits, - _ .)")),
            field("interruptible", Schema.oneOf(VoiceSettings.interruptibleValues).described("What may interrupt the agent's speech")),
            field("dtmf_detection", Schema.boolean),
            field("system_prompt", Schema.string(max: 8_000).example("You are the front desk of Harbour Dental.")),
            field("knowledge", Schema.array(Schema.object([
                .required("topic", Schema.text(max: 200).example("opening hours")),
                .required("answer", Schema.text(max: 4_000).example("We are open 9 to 5, Monday to Friday.")),
            ], closed: true), max: 100).described("What the agent answers from")),
            field("menu", Schema.dictionary(option, max: 12, keys: StringRules(minLength: 1, maxLength: 1, pattern: Pattern("^[0-9*#]$")))
                .example(["1": ["action": "say", "text": "We are at 12 Harbour Street."], "0": ["action": "transfer"]])
                .described("Keypad keys and what they do")),
            answer ? .required("business_hours", hours.nullable.described("null: always open")) : .optional("business_hours", hours.nullable),
            field("after_hours_message", Schema.text(max: 500)),
            field("review_rubric", Schema.string(max: 4_000).example("The caller's question was answered or a callback was booked.")
                .described("What a successful call is: each call's AI review judges it against this")),
            field("record_calls", Schema.boolean.described("Record each call (both parties; off by default: announce it where consent is needed)")),
            answer ? .required("transfer_to", Schema.string(format: "phone").nullable.example("+12025550199").described("The human a call is handed to"))
                : .optional("transfer_to", Schema.string(min: 1, max: 40, format: "phone").nullable.example("+12025550199")),
        ]
    }
}
