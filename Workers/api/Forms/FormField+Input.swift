import OzziRuntime

extension FormField {
    /// Reads a field as a form's definition gives it; every mistake names its place (`fields[2].options`).
    static func read(_ value: JSONValue, at path: String, defaultCountry: String) throws -> FormField {
        guard case .object(let o) = value else { throw APIError.invalidField(path, "must be an object") }
        let known: Set<String> = ["key", "type", "label", "help", "placeholder", "required", "min_length", "max_length", "pattern", "pattern_message",
                                  "min", "max", "integer", "options", "min_choices", "max_choices", "maps_to", "channel", "default"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) { throw APIError.invalidField("\(path).\(unknown)", "is not a field setting") }
        let r = Reader(fields: o, path: path)
        let key = try r.string("key", max: 64, required: true)!
        guard Pattern(keyPattern).matches(key) else {
            throw APIError.invalidField("\(path).key", "must be lower-case letters, digits and _, starting with a letter (at most 64)")
        }
        guard let kind = Kind(rawValue: try r.string("type", max: 20, required: true)!) else {
            throw APIError.invalidField("\(path).type", "must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let label = try r.string("label", max: 2_000) ?? ""
        if kind != .hidden, label.isEmpty { throw APIError.invalidField("\(path).label", "is required (what the visitor reads)") }
        let texty: Set<Kind> = [.text, .textarea, .email, .phone, .hidden]
        let choosy: Set<Kind> = [.select, .multi_select, .radio]
        func only(_ name: String, _ kinds: Set<Kind>) throws {
            if o[name] != nil, o[name] != .null, !kinds.contains(kind) { throw APIError.invalidField("\(path).\(name)", "does not apply to a \(kind.rawValue) field") }
        }
        try only("min_length", texty); try only("max_length", texty); try only("pattern", [.text, .textarea]); try only("pattern_message", [.text, .textarea])
        try only("integer", [.number]); try only("options", choosy); try only("min_choices", [.multi_select]); try only("max_choices", [.multi_select])
        try only("channel", [.consent]); try only("default", [.hidden]); try only("placeholder", texty.union([.number, .date]))
        if kind == .number { try only("min", [.number]); try only("max", [.number]) }

        let ceiling = Self.ceiling(kind: kind, mapsTo: try r.string("maps_to", max: 71))
        let givenMax = try r.int("max_length", 1...maxLengthCeiling)
        if let givenMax, givenMax > ceiling {
            throw APIError.invalidField("\(path).max_length", "is at most \(ceiling) for this field (what it fills holds no more)")
        }
        let patterned = o["pattern"] != nil && o["pattern"] != .null
        let maxLength = givenMax ?? min(defaultMaxLength(kind), ceiling, patterned ? FormPattern.maxAnswerLength : .max)
        let minLength = try r.int("min_length", 0...maxLength)
        let pattern = try r.string("pattern", max: FormPattern.maxLength)
        var matcher: FormPattern?
        if let pattern {
            if let why = FormPattern.refusal(pattern) { throw APIError.invalidField("\(path).pattern", why) }
            guard let compiled = FormPattern(pattern) else { throw APIError.invalidField("\(path).pattern", "is not a regular expression") }
            guard maxLength <= FormPattern.maxAnswerLength else {
                throw APIError.invalidField("\(path).max_length", "is at most \(FormPattern.maxAnswerLength) for a field with a pattern")
            }
            matcher = compiled
        }
        var minimum: Double?, maximum: Double?, earliest: String?, latest: String?
        if kind == .number {
            minimum = try r.number("min"); maximum = try r.number("max")
            if let minimum, let maximum, minimum > maximum { throw APIError.invalidField("\(path).max", "must not be below min") }
        } else if kind == .date {
            earliest = try r.date("min"); latest = try r.date("max")
            if let earliest, let latest, earliest > latest { throw APIError.invalidField("\(path).max", "must not be before min") }
        } else {
            try only("min", [.number, .date]); try only("max", [.number, .date])
        }
        var options: [Option] = []
        if choosy.contains(kind) {
            guard case .array(let items)? = o["options"], (1...200).contains(items.count) else {
                throw APIError.invalidField("\(path).options", "must list 1 to 200 options")
            }
            var seen = Set<String>()
            options = try items.enumerated().map { index, item in
                let at = "\(path).options[\(index)]"
                let option: Option
                switch item {
                case .string(let text): option = Option(value: text, label: text)
                case .object(let fields):
                    guard case .string(let value)? = fields["value"] else { throw APIError.invalidField("\(at).value", "is required") }
                    option = Option(value: value, label: fields["label"]?.stringValue ?? value)
                default: throw APIError.invalidField(at, "must be a string or {value, label}")
                }
                guard !option.value.isEmpty, option.value.unicodeScalars.count <= 200, option.label.unicodeScalars.count <= 500 else {
                    throw APIError.invalidField(at, "needs a value of 1-200 characters and a label of at most 500")
                }
                // Answers are trimmed before they are compared: a value with blanks around it could never be chosen.
                guard FormField.trimmed(option.value) == option.value else { throw APIError.invalidField("\(at).value", "must not begin or end with a blank") }
                guard seen.insert(option.value).inserted else { throw APIError.invalidField(at, "repeats the value '\(option.value)'") }
                return option
            }
        }
        let maxChoices = try r.int("max_choices", 1...max(1, options.count))
        let minChoices = try r.int("min_choices", 0...(maxChoices ?? max(1, options.count)))
        let mapsTo = try r.string("maps_to", max: 71)
        if let mapsTo {
            let custom = mapsTo.hasPrefix("custom.") && (1...64).contains(mapsTo.dropFirst(7).unicodeScalars.count)
            guard contactFields.contains(mapsTo) || custom else {
                throw APIError.invalidField("\(path).maps_to", "must be one of \(contactFields.joined(separator: ", ")) or custom.<key>")
            }
            if mapsTo == "email", kind != .email { throw APIError.invalidField("\(path).maps_to", "email takes an email field") }
            if mapsTo == "phone", kind != .phone { throw APIError.invalidField("\(path).maps_to", "phone takes a phone field") }
            if kind == .consent { throw APIError.invalidField("\(path).maps_to", "a consent box sets the contact's consent by its channel") }
        }
        var channel: String?
        if kind == .consent {
            channel = try r.string("channel", max: 10, required: true)
            guard channel == "sms" || channel == "email" else { throw APIError.invalidField("\(path).channel", "must be sms or email") }
        }
        let defaultValue = try r.string("default", max: maxLength)
        return FormField(key: key, kind: kind, label: label, help: try r.string("help", max: 2_000) ?? "", placeholder: try r.string("placeholder", max: 200) ?? "",
                         required: try r.bool("required") ?? false, minLength: minLength, maxLength: maxLength, pattern: pattern, matcher: matcher,
                         patternMessage: try r.string("pattern_message", max: 200), minimum: minimum, maximum: maximum, integer: try r.bool("integer") ?? false,
                         earliest: earliest, latest: latest, options: options, minChoices: minChoices, maxChoices: maxChoices, mapsTo: mapsTo,
                         channel: channel, defaultValue: defaultValue)
    }

    /// The longest answer a field may take: what the contact field it fills holds, an email address's limit.
    static func ceiling(kind: Kind, mapsTo: String?) -> Int {
        if kind == .email { return EmailAddress.maxLength }
        switch mapsTo {
        case "name": return 200
        case "first_name", "last_name": return 100
        case let target? where target.hasPrefix("custom."): return 1_000
        default: return maxLengthCeiling
        }
    }

    /// The field as the definition stores it and the API answers it (what `read` reads back).
    var json: JSONValue {
        var o: [String: JSONValue] = ["key": .string(key), "type": .string(kind.rawValue), "label": .string(label), "help": .string(help), "required": .bool(required)]
        if !placeholder.isEmpty { o["placeholder"] = .string(placeholder) }
        if [.text, .textarea, .email, .phone, .hidden].contains(kind) { o["max_length"] = .number(Double(maxLength)) }
        if let minLength { o["min_length"] = .number(Double(minLength)) }
        if let pattern { o["pattern"] = .string(pattern) }
        if let patternMessage { o["pattern_message"] = .string(patternMessage) }
        if let minimum { o["min"] = .number(minimum) }
        if let maximum { o["max"] = .number(maximum) }
        if let earliest { o["min"] = .string(earliest) }
        if let latest { o["max"] = .string(latest) }
        if kind == .number { o["integer"] = .bool(integer) }
        if !options.isEmpty { o["options"] = .array(options.map { ["value": .string($0.value), "label": .string($0.label)] }) }
        if let minChoices { o["min_choices"] = .number(Double(minChoices)) }
        if let maxChoices { o["max_choices"] = .number(Double(maxChoices)) }
        if let mapsTo { o["maps_to"] = .string(mapsTo) }
        if let channel { o["channel"] = .string(channel) }
        if let defaultValue { o["default"] = .string(defaultValue) }
        return .object(o)
    }

    /// Typed reads of one object's settings, each mistake named `path.name`.
    struct Reader {
        let fields: [String: JSONValue]
        let path: String

        func string(_ name: String, max: Int, required: Bool = false) throws -> String? {
            guard let value = fields[name], value != .null else {
                if required { throw APIError.invalidField("\(path).\(name)", "is required") }
                return nil
            }
            guard case .string(let text) = value else { throw APIError.invalidField("\(path).\(name)", "must be a string") }
            guard text.unicodeScalars.count <= max else { throw APIError.invalidField("\(path).\(name)", "must be at most \(max) characters") }
            if required, text.isEmpty { throw APIError.invalidField("\(path).\(name)", "must not be empty") }
            return text
        }

        func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let value = fields[name], value != .null else { return nil }
            guard case .number(let number) = value, let int = Int(exactly: number), range.contains(int) else {
                throw APIError.invalidField("\(path).\(name)", "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return int
        }

        func number(_ name: String) throws -> Double? {
            guard let value = fields[name], value != .null else { return nil }
            guard case .number(let number) = value, number.isFinite, abs(number) <= 1e15 else {
                throw APIError.invalidField("\(path).\(name)", "must be a number")
            }
            return number
        }

        func date(_ name: String) throws -> String? {
            guard let text = try string(name, max: 10) else { return nil }
            guard CivilDate.day(text) != nil else { throw APIError.invalidField("\(path).\(name)", "must be a date, YYYY-MM-DD") }
            return text
        }

        func bool(_ name: String) throws -> Bool? {
            guard let value = fields[name], value != .null else { return nil }
            guard case .bool(let flag) = value else { throw APIError.invalidField("\(path).\(name)", "must be true or false") }
            return flag
        }
    }
}
