import OzziRuntime

/// A request's JSON object body, read field by field: every mistake names its field.
struct JSONBody {
    let fields: [String: JSONValue]

    /// The body its route's schema already checked, while the route's handler runs (see `APIOperation.checked`):
    /// read once, not once per check.
    @TaskLocal static var validated: JSONValue?

    init(_ request: Request) throws {
        let value = try Self.validated ?? Self.parse(request)
        guard case .object(let fields) = value else {
            throw APIError.badRequest("the body must be a JSON object", code: "invalid_json")
        }
        self.fields = fields
    }

    /// The request's body as JSON holding no NUL: the value an in-process caller built it from (`Request.json`),
    /// else its bytes parsed.
    static func parse(_ request: Request) throws(APIError) -> JSONValue {
        guard let value = request.json else { return try parse(request.body) }
        try TextInput.check(value)
        return value
    }

    /// The body as JSON holding no NUL anywhere (`TextInput`): every JSON body a handler reads passes here.
    static func parse(_ body: [UInt8]) throws(APIError) -> JSONValue {
        guard !body.isEmpty else { throw APIError.badRequest("a JSON body is required", code: "invalid_json") }
        let value: JSONValue
        do {
            value = try JSONValue(jsonBytes: body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON (\(error.description))", code: "invalid_json")
        }
        try TextInput.check(value)
        return value
    }

    /// An empty body counts as `{}` (for POSTs whose fields are all optional).
    init(optional request: Request) throws {
        if request.body.isEmpty { self.init(fields: [:]) } else { try self.init(request) }
    }

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    func string(_ name: String, max: Int = 256) throws -> String? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .string(let text) = value else { throw APIError.invalidField(name, "must be a string") }
        guard text.count <= max else { throw APIError.invalidField(name, "must be at most \(max) characters") }
        return text
    }

    func requiredString(_ name: String, max: Int = 256) throws -> String {
        guard let text = try string(name, max: max) else { throw APIError.invalidField(name, "is required") }
        guard !text.isEmpty else { throw APIError.invalidField(name, "must not be empty") }
        return text
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw APIError.invalidField(name, "must be true or false") }
        return flag
    }

    /// A whole number within `range`.
    func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value = fields[name], value != .null else { return nil }
        guard let number = value.numberValue, let int = Int(exactly: number), range.contains(int) else {
            throw APIError.invalidField(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A JSON array of 1...10,000 ids (`contact_ids`, `message_ids`), as `Schema.idList` states it.
    func ids(_ name: String = "contact_ids") throws -> [String] {
        guard let value = fields[name] else { throw APIError.invalidField(name, "is required") }
        guard case .array(let items) = value else { throw APIError.invalidField(name, "must be an array of ids") }
        guard !items.isEmpty else { throw APIError.invalidField(name, "must not be empty") }
        guard items.count <= 10_000 else { throw APIError.invalidField(name, "holds at most 10,000 ids; got \(items.count)") }
        return try items.map { item in
            guard case .string(let id) = item else { throw APIError.invalidField(name, "must hold strings") }
            return id
        }
    }

    /// One of `allowed`, as a string.
    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = try string(name) else { return nil }
        guard allowed.contains(text) else { throw APIError.invalidField(name, "must be one of \(allowed.joined(separator: ", "))") }
        return text
    }
}

extension Schema {
    /// What `JSONBody.ids` reads.
    static let idList = Schema.array(.string(min: 1, max: 64), min: 1, max: 10_000).example(["con_01jd3k5v7n0000000000000000"])
}

extension StringProtocol {
    func trimmingPrefixAndSuffixSpaces() -> SubSequence {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
