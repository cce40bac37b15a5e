import OzziRuntime

/// A queue body being read as a `QueueJob`: typed field reads that throw naming the field and the kind.
struct JobPayload {
    let kind: String
    let fields: [String: JSONValue]

    func string(_ name: String) throws(JobPayloadError) -> String {
        guard let value = fields[name]?.stringValue, !value.isEmpty else { throw JobPayloadError(kind: kind, field: name, expected: "a non-empty string") }
        return value
    }

    func int(_ name: String) throws(JobPayloadError) -> Int {
        guard let value = fields[name]?.numberValue, let int = Int(exactly: value) else { throw JobPayloadError(kind: kind, field: name, expected: "an integer") }
        return int
    }

    func object(_ name: String) throws(JobPayloadError) -> [String: JSONValue] {
        guard let value = fields[name]?.objectValue else { throw JobPayloadError(kind: kind, field: name, expected: "an object") }
        return value
    }

    /// An optional flag: absent is false.
    func flag(_ name: String) throws(JobPayloadError) -> Bool {
        switch fields[name] {
        case nil, .null?: return false
        case .bool(let value)?: return value
        default: throw JobPayloadError(kind: kind, field: name, expected: "a boolean")
        }
    }
}

/// Why a queue body is not the job its kind names.
struct JobPayloadError: Error, CustomStringConvertible {
    let kind: String
    let field: String
    let expected: String

    var description: String { "\(kind) job: \(field) must be \(expected)" }
}
