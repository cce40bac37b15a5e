import OzziRuntime

/// Typed reads from a JSON object with the path of each value, so every error names where it is.
struct TimelineReader {
    let object: [String: JSONValue]
    let path: String

    init(_ value: JSONValue?, at path: String) throws(TimelineError) {
        guard case .object(let object)? = value else { throw TimelineError(path, "must be an object") }
        self.object = object
        self.path = path
    }

    func at(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func has(_ key: String) -> Bool { object[key].map { $0 != .null } ?? false }

    func number(_ key: String, in range: ClosedRange<Double>? = nil) throws(TimelineError) -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let number) = value, number.isFinite else { throw TimelineError(at(key), "must be a number") }
        if let range, !range.contains(number) { throw TimelineError(at(key), "must be from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))") }
        return number
    }

    func string(_ key: String, maxLength: Int = 200) throws(TimelineError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let string) = value else { throw TimelineError(at(key), "must be a string") }
        guard string.count <= maxLength else { throw TimelineError(at(key), "must be at most \(maxLength) characters") }
        return string
    }

    func bool(_ key: String) throws(TimelineError) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let bool) = value else { throw TimelineError(at(key), "must be true or false") }
        return bool
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _: Choice.Type) throws(TimelineError) -> Choice? where Choice.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            throw TimelineError(at(key), "must be one of " + Choice.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        return choice
    }

    func array(_ key: String, max: Int) throws(TimelineError) -> [JSONValue]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let items) = value else { throw TimelineError(at(key), "must be an array") }
        guard items.count <= max else { throw TimelineError(at(key), "must have at most \(max) items") }
        return items
    }

    func color(_ key: String) throws(TimelineError) -> Color? {
        guard let text = try string(key, maxLength: 9) else { return nil }
        guard let color = Color(hex: text) else { throw TimelineError(at(key), "must be a colour as #rrggbb or #rrggbbaa") }
        return color
    }

    /// Keys the object may have: any other is named, so a misspelt `keyframe` is not silently ignored.
    func only(_ keys: Set<String>) throws(TimelineError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) { throw TimelineError(at(unknown), "is not a known field") }
    }

    static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
