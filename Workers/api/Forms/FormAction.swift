import OzziRuntime

/// One step of a form's workflow, run for each submission in order, when its condition holds (`when`):
/// add the contact to a group, send it an SMS or email template (at once or after a delay), enroll it in a
/// study book, or tell team members by email.
struct FormAction: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case add_to_group, send_sms, send_email, enroll_study_book, notify
    }

    let kind: Kind
    /// The group, template or book the action names.
    let target: String?
    let delayMinutes: Int
    /// `notify`: the workspace members told.
    let userIDs: [String]
    /// `enroll_study_book`: the zone lessons are sent in.
    let timeZone: String?
    let when: Condition?

    /// An answer the action depends on: `equals` a value, `not_equals` it, `contains` it (text or choices),
    /// or `is_set` (answered at all) — exactly one of them.
    struct Condition: Sendable, Equatable {
        enum Test: String, Sendable, CaseIterable { case equals, not_equals, contains, is_set }
        let field: String
        let test: Test
        let value: JSONValue

        func holds(_ answers: [String: JSONValue]) -> Bool {
            let answer = answers[field]
            switch test {
            case .is_set:
                let set = answer != nil && answer != .null && answer != .bool(false)
                return value == .bool(false) ? !set : set
            case .equals: return Self.same(answer, value)
            case .not_equals: return !Self.same(answer, value)
            case .contains:
                switch (answer, value) {
                case (.array(let items)?, _): return items.contains { Self.same($0, value) }
                case (.string(let text)?, .string(let part)): return text.lowercased().contains(part.lowercased())
                default: return false
                }
            }
        }

        /// Numbers compare as numbers and texts as given; `true` matches a ticked box.
        private static func same(_ answer: JSONValue?, _ value: JSONValue) -> Bool {
            switch (answer, value) {
            case (.string(let a)?, .number(let b)): return Double(a) == b
            case (.number(let a)?, .string(let b)): return Double(b) == a
            default: return answer == value
            }
        }
    }

    /// Reads `workflow[i]`, its field conditions checked against the form's `fields`.
    static func read(_ value: JSONValue, at path: String, fields: [FormField]) throws -> FormAction {
        guard case .object(let o) = value else { throw APIError.invalidField(path, "must be an object") }
        let r = FormField.Reader(fields: o, path: path)
        guard let kind = Kind(rawValue: try r.string("type", max: 30, required: true)!) else {
            throw APIError.invalidField("\(path).type", "must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let targetName: String? = switch kind {
        case .add_to_group: "group_id"
        case .send_sms, .send_email: "template_id"
        case .enroll_study_book: "book_id"
        case .notify: nil
        }
        var known: Set<String> = ["type", "when", "delay_minutes"]
        if let targetName { known.insert(targetName) }
        if kind == .notify { known.insert("user_ids") }
        if kind == .enroll_study_book { known.insert("time_zone") }
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) { throw APIError.invalidField("\(path).\(unknown)", "does not apply to \(kind.rawValue)") }
        let target = try targetName.map { try r.string($0, max: 64, required: true)! }
        var userIDs: [String] = []
        if kind == .notify {
            guard case .array(let items)? = o["user_ids"], (1...50).contains(items.count) else {
                throw APIError.invalidField("\(path).user_ids", "must list 1 to 50 workspace members")
            }
            userIDs = try items.enumerated().map { index, item in
                guard case .string(let id) = item, (1...64).contains(id.utf8.count) else { throw APIError.invalidField("\(path).user_ids[\(index)]", "must be a user id") }
                return id
            }
        }
        let timeZone = try r.string("time_zone", max: 64)
        if let timeZone, !TimeZoneName.isKnown(timeZone) { throw APIError.invalidField("\(path).time_zone", "is not a known time zone") }
        let delay = try r.int("delay_minutes", 0...43_200) ?? 0
        if delay > 0, kind != .send_sms, kind != .send_email { throw APIError.invalidField("\(path).delay_minutes", "applies to send_sms and send_email") }
        var condition: Condition?
        if let when = o["when"], when != .null {
            guard case .object(let c) = when, case .string(let field)? = c["field"] else {
                throw APIError.invalidField("\(path).when", "must be {field, equals | not_equals | contains | is_set}")
            }
            guard fields.contains(where: { $0.key == field }) else { throw APIError.invalidField("\(path).when.field", "names no field of the form") }
            let tests = Condition.Test.allCases.filter { c[$0.rawValue] != nil }
            guard tests.count == 1, c.count == 2, let test = tests.first, let given = c[test.rawValue] else {
                throw APIError.invalidField("\(path).when", "must give exactly one of equals, not_equals, contains, is_set")
            }
            switch (test, given) {
            case (.is_set, .bool), (_, .string), (_, .number), (.equals, .bool), (.not_equals, .bool): break
            default: throw APIError.invalidField("\(path).when.\(test.rawValue)", test == .is_set ? "must be true or false" : "must be a string, number or boolean")
            }
            condition = Condition(field: field, test: test, value: given)
        }
        return FormAction(kind: kind, target: target, delayMinutes: delay, userIDs: userIDs, timeZone: timeZone, when: condition)
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["type": .string(kind.rawValue)]
        switch kind {
        case .add_to_group: o["group_id"] = target.map { .string($0) }
        case .send_sms, .send_email: o["template_id"] = target.map { .string($0) }; o["delay_minutes"] = .number(Double(delayMinutes))
        case .enroll_study_book: o["book_id"] = target.map { .string($0) }; o["time_zone"] = timeZone.map { .string($0) } ?? .null
        case .notify: o["user_ids"] = .array(userIDs.map { .string($0) })
        }
        if let when { o["when"] = .object(["field": .string(when.field), when.test.rawValue: when.value]) }
        return .object(o)
    }
}
