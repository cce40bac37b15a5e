import OzziRuntime

extension FormField {
    /// An answer checked against the field: the value to keep (nil: the visitor left it empty), or the
    /// message the visitor reads. Answers come from a browser's form as strings (a box: true or "on";
    /// several choices: an array), or as JSON values from a script; both read alike.
    enum Checked: Equatable {
        case value(JSONValue?)
        case refused(String)
    }

    func check(_ given: JSONValue?, defaultCountry: String) -> Checked {
        switch kind {
        case .checkbox, .consent:
            let ticked: Bool
            switch given {
            case .bool(let flag)?: ticked = flag
            case .string(let text)?: ticked = ["on", "true", "yes", "1"].contains(text)
            default: ticked = false
            }
            if required, !ticked { return .refused(FormMessages.say("required")) }
            return .value(.bool(ticked))
        case .multi_select:
            var chosen: [String] = []
            switch given {
            case .array(let items)?:
                for item in items {
                    guard case .string(let text) = item else { return .refused(FormMessages.say("option")) }
                    chosen.append(text)
                }
            case .string(let text)? where !text.isEmpty: chosen = [text]
            case nil, .null?, .string?: break
            default: return .refused(FormMessages.say("option"))
            }
            var seen = Set<String>()
            chosen = chosen.filter { seen.insert($0).inserted }
            guard chosen.allSatisfy({ value in options.contains { $0.value == value } }) else { return .refused(FormMessages.say("option")) }
            if chosen.isEmpty {
                return required ? .refused(FormMessages.say("required")) : .value(nil)
            }
            if let minChoices, chosen.count < minChoices { return .refused(FormMessages.say("fewChoices", String(minChoices))) }
            if let maxChoices, chosen.count > maxChoices { return .refused(FormMessages.say("manyChoices", String(maxChoices))) }
            return .value(.array(chosen.map { .string($0) }))
        default:
            break
        }
        // Every other kind answers one text.
        let text: String
        switch given {
        case nil, .null?: text = ""
        case .string(let value)?: text = Self.trimmed(value)
        case .number(let value)? where kind == .number: text = FormMessages.format(value)
        default: return .refused(kind == .number ? FormMessages.say("number") : FormMessages.say("required"))
        }
        if text.isEmpty {
            if kind == .hidden, let defaultValue, !defaultValue.isEmpty { return .value(.string(defaultValue)) }
            return required ? .refused(FormMessages.say("required")) : .value(nil)
        }
        let length = text.unicodeScalars.count
        switch kind {
        case .number:
            guard let number = Self.number(text) else { return .refused(FormMessages.say("number")) }
            if integer, number.rounded() != number { return .refused(FormMessages.say("whole")) }
            if let minimum, number < minimum { return .refused(FormMessages.say("atLeast", FormMessages.format(minimum))) }
            if let maximum, number > maximum { return .refused(FormMessages.say("atMost", FormMessages.format(maximum))) }
            return .value(.number(number))
        case .date:
            guard CivilDate.day(text) != nil else { return .refused(FormMessages.say("date")) }
            if let earliest, text < earliest { return .refused(FormMessages.say("onOrAfter", earliest)) }
            if let latest, text > latest { return .refused(FormMessages.say("onOrBefore", latest)) }
            return .value(.string(text))
        case .select, .radio:
            guard options.contains(where: { $0.value == text }) else { return .refused(FormMessages.say("option")) }
            return .value(.string(text))
        default:
            break
        }
        if length > maxLength { return .refused(FormMessages.say("tooLong", String(maxLength))) }
        if let minLength, length < minLength { return .refused(FormMessages.say("tooShort", String(minLength))) }
        switch kind {
        case .email:
            guard let address = try? EmailAddress.normalize(text) else { return .refused(FormMessages.say("email")) }
            return .value(.string(address))
        case .phone:
            guard let number = try? PhoneNumber.normalize(text, defaultCountry: defaultCountry) else { return .refused(FormMessages.say("phone")) }
            return .value(.string(number))
        default:
            if let matcher, !matcher.matches(text) { return .refused(patternMessage ?? FormMessages.say("pattern")) }
            return .value(.string(text))
        }
    }

    /// Without the blanks around it, by Unicode scalars (`EmailAddress.isBlank`): the set the page's script
    /// trims too (`[\s\u001C-\u001F\u0085\uFEFF]`), so a combining mark after a space is not trimmed with it.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !EmailAddress.isBlank($0) }), let end = scalars.lastIndex(where: { !EmailAddress.isBlank($0) }) else {
            return ""
        }
        // Most answers have nothing to trim: the same string, not a copy built scalar by scalar.
        if start == scalars.startIndex && scalars.index(after: end) == scalars.endIndex { return text }
        return String(Substring(scalars[start...end]))
    }

    /// A decimal number as a person types one: an optional sign, digits, an optional fraction (what the
    /// page's script reads too; no exponents, no `Infinity`).
    static func number(_ text: String) -> Double? {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty || parts.count == 2, rest.utf8.count <= 30,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }), !(parts.count == 2 && parts[1].isEmpty) else { return nil }
        return Double(text)
    }
}
