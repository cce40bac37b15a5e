import OzziRuntime

/// One turn of a call's transcript: what the caller said, what the agent said (cut to what the caller
/// heard when they interrupted), or a tool the agent used and its result.
struct CallTurn: Sendable, Decodable, SQLRecord {
    let seq: Int
    let role: String
    let text: String
    let interrupted: Bool
    let tool: JSONValue?
    let at: String

    enum CodingKeys: String, SQLColumn { case seq, role, text, interrupted, tool, at }
    typealias Columns = CodingKeys

    static let roles = ["caller", "agent", "tool"]

    var json: JSONValue {
        ["seq": .number(Double(seq)), "role": .string(role), "text": .string(text), "interrupted": .bool(interrupted), "tool": tool ?? .null,
         "at": .string(at)]
    }

    /// A turn as the voice-agent worker reports it: `{role, text, interrupted?, tool?, at_ms}`.
    struct Reported: Sendable {
        let role: String
        let text: String
        let interrupted: Bool
        let tool: JSONValue?
        let atMilliseconds: Int64

        init(_ value: JSONValue, index: Int) throws {
            guard let role = value["role"]?.stringValue, CallTurn.roles.contains(role) else {
                throw APIError.invalidField("turns[\(index)].role", "must be one of \(CallTurn.roles.joined(separator: ", "))")
            }
            guard let text = value["text"]?.stringValue, text.utf8.count <= 64_000 else {
                throw APIError.invalidField("turns[\(index)].text", "must be a string of at most 64 KB")
            }
            guard let at = value["at_ms"]?.numberValue.flatMap({ Int64(exactly: $0) }) else {
                throw APIError.invalidField("turns[\(index)].at_ms", "must be the time in milliseconds since 1970")
            }
            self.role = role
            self.text = text
            interrupted = value["interrupted"]?.boolValue ?? false
            tool = value["tool"].flatMap { $0 == .null ? nil : $0 }
            atMilliseconds = at
        }
    }
}
