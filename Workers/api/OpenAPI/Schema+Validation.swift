import OzziRuntime

extension Schema {
    /// Checks `value` against the schema; the first violation is a 422 naming its field by path
    /// (`sms_consent.status`, `contact_ids[3]`), in the words the document uses.
    func validate(_ value: JSONValue, at path: String) throws(APIError) {
        if value == .null {
            guard allowsNull || isAny else { throw Self.invalid(path, "must not be null") }
            return
        }
        switch kind {
        case .any:
            return
        case .scalar(let maxLength):
            switch value {
            case .string(let text) where text.unicodeScalars.count > maxLength: throw Self.invalid(path, "must be at most \(maxLength) characters")
            case .array, .object: throw Self.invalid(path, "must be a string, number, boolean or null")
            default: return
            }
        case .model(_, let schema):
            try schema().validate(value, at: path)
        case .string(let rules):
            guard case .string(let text) = value else { throw Self.invalid(path, "must be a string") }
            try rules.validate(text, at: path)
        case .integer(let minimum, let maximum):
            guard case .number(let number) = value, number.rounded() == number else { throw Self.invalid(path, "must be an integer") }
            try Self.check(number, Double(minimum), Double(maximum), at: path)
        case .number(let minimum, let maximum):
            guard case .number(let number) = value else { throw Self.invalid(path, "must be a number") }
            try Self.check(number, minimum, maximum, at: path)
        case .boolean:
            guard case .bool = value else { throw Self.invalid(path, "must be true or false") }
        case .array(let items, let minItems, let maxItems):
            guard case .array(let elements) = value else { throw Self.invalid(path, "must be an array") }
            if elements.count < minItems {
                throw Self.invalid(path, minItems == 1 ? "must not be empty" : "must hold at least \(minItems) items")
            }
            if let maxItems, elements.count > maxItems { throw Self.invalid(path, "holds at most \(Self.grouped(maxItems)) items; got \(Self.grouped(elements.count))") }
            for (index, element) in elements.enumerated() { try items.validate(element, at: "\(path)[\(index)]") }
        case .object(let shape):
            guard case .object(let fields) = value else {
                // A body that is JSON but not an object is as unreadable as one that is not JSON.
                if path.isEmpty { throw APIError.badRequest("the body must be a JSON object", code: "invalid_json") }
                throw Self.invalid(path, "must be a JSON object")
            }
            try shape.validate(fields, at: path)
        case .dictionary(let values, let maxProperties, let keys):
            guard case .object(let fields) = value else { throw Self.invalid(path, "must be a JSON object") }
            if let maxProperties, fields.count > maxProperties { throw Self.invalid(path, "has more than \(maxProperties) keys") }
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                if let keys {
                    do { try keys.validate(key, at: path) } catch { throw Self.invalid(path, "has a key that \(error.message.drop { $0 != " " }.dropFirst())") }
                }
                try values.validate(field, at: Self.join(path, key))
            }
        case .oneOf(let schemas):
            let matching = schemas.filter { (try? $0.validate(value, at: path)) != nil }.count
            guard matching == 1 else {
                // Name what is wrong with the form the value meant: the one its enum fields (`action`) select.
                if matching == 0, let meant = schemas.first(where: { $0.isSelected(by: value) }) ?? schemas.first {
                    try meant.validate(value, at: path)
                }
                throw Self.invalid(path, "matches more than one of its allowed forms")
            }
        }
    }

    /// For a union of object forms told apart by an enum field: whether `value`'s enum fields pick this form.
    private func isSelected(by value: JSONValue) -> Bool {
        guard case .object(let fields) = value, let shape else { return false }
        let tags = shape.properties.filter { property in
            if case .string(let rules) = property.schema.resolved.kind, rules.allowed != nil, property.required { return true }
            return false
        }
        return !tags.isEmpty && tags.allSatisfy { (try? $0.schema.validate(fields[$0.name] ?? .null, at: "")) != nil }
    }

    private var isAny: Bool {
        if case .any = kind { return true }
        if case .scalar = kind { return true }
        if case .model(_, let schema) = kind { return schema().allowsNull || schema().isAny }
        return false
    }

    private static func check(_ number: Double, _ minimum: Double?, _ maximum: Double?, at path: String) throws(APIError) {
        func format(_ bound: Double) -> String { bound.rounded() == bound && abs(bound) < 1e15 ? String(Int(bound)) : String(bound) }
        switch (minimum, maximum) {
        case let (minimum?, maximum?) where !(minimum...maximum).contains(number):
            throw Self.invalid(path, "must be \(format(minimum))...\(format(maximum))")
        case let (minimum?, nil) where number < minimum:
            throw Self.invalid(path, "must be at least \(format(minimum))")
        case let (nil, maximum?) where number > maximum:
            throw Self.invalid(path, "must be at most \(format(maximum))")
        default:
            return
        }
    }

    /// A 422 naming the field; the body itself when the path is empty.
    private static func invalid(_ path: String, _ why: String) -> APIError {
        APIError.invalidField(path.isEmpty ? "body" : path, why)
    }

    /// 10000 -> "10,000".
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number.magnitude))
        let groups = stride(from: digits.count, to: 0, by: -3).reversed().map { String(digits[max(0, $0 - 3)..<$0]) }
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }
}

extension StringRules {
    func validate(_ text: String, at path: String) throws(APIError) {
        if let allowed {
            guard allowed.contains(text) else { throw APIError.invalidField(path, "must be one of \(allowed.joined(separator: ", "))") }
            return
        }
        let length = text.unicodeScalars.count
        if length < minLength { throw APIError.invalidField(path, minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters") }
        if let maxLength, length > maxLength { throw APIError.invalidField(path, "must be at most \(maxLength) characters") }
        if let pattern, !pattern.matches(text) { throw APIError.invalidField(path, pattern.explain?(text) ?? "must match \(pattern.source)") }
        // The format the document names, as JSON Schema validators read it (a pattern cannot know February has no 30th).
        if format == "date-time", RFC3339.milliseconds(text) == nil {
            throw APIError.invalidField(path, "must be an RFC 3339 date-time, such as 2026-01-31T09:00:00Z")
        }
    }
}

extension ObjectShape {
    func validate(_ fields: [String: JSONValue], at path: String) throws(APIError) {
        for property in properties {
            let name = Schema.join(path, property.name)
            guard let value = fields[property.name] else {
                if property.required { throw APIError.invalidField(name, "is required") }
                continue
            }
            try property.schema.validate(value, at: name)
        }
        if closed, let unknown = fields.keys.sorted().first(where: { key in !properties.contains { $0.name == key } }) {
            throw APIError.invalidField(Schema.join(path, unknown), "is not a field of this object")
        }
        for group in exactlyOne {
            let given = group.filter { fields[$0] != nil }
            guard given.count == 1 else {
                let names = group.map { Schema.join(path, $0) }
                throw APIError.invalidField(names[0], given.isEmpty ? "give one of \(names.joined(separator: ", "))"
                                                                    : "give only one of \(names.joined(separator: ", "))")
            }
        }
        for group in atMostOne {
            let given = group.filter { fields[$0] != nil }
            if given.count > 1 {
                throw APIError.invalidField(Schema.join(path, given[1]), "not with \(given[0]): give at most one of \(group.joined(separator: ", "))")
            }
        }
        for zoned in zonedTimes {
            guard case .string(let time)? = fields[zoned.time], !ZonedTime.offset.matches(time), fields[zoned.zone] ?? .null == .null else { continue }
            throw APIError.invalidField(Schema.join(path, zoned.time), "'\(time)' has no UTC offset: add Z or an offset, or give \(zoned.zone)")
        }
        for group in atLeastOne where !group.contains(where: { fields[$0] != nil }) {
            throw APIError.invalidField(Schema.join(path, group[0]), "give at least one of \(group.joined(separator: ", "))")
        }
    }
}
