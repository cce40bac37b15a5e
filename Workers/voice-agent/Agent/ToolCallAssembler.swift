import OzziRuntime

/// Tool calls as a streaming model sends them: pieces keyed by `index`, the id and name once, the
/// arguments as text spread over many chunks; interleaved calls are kept apart by their index.
struct ToolCallAssembler {
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]

    /// Takes one chunk's `delta.tool_calls`.
    mutating func add(_ pieces: [JSONValue]) {
        for piece in pieces {
            let index = piece["index"]?.numberValue.flatMap { Int(exactly: $0) } ?? calls.count
            var call = calls[index] ?? ("", "", "")
            if let id = piece["id"]?.stringValue, !id.isEmpty { call.id = id }
            if let name = piece["function"]?["name"]?.stringValue, !name.isEmpty { call.name += name }
            if let arguments = piece["function"]?["arguments"]?.stringValue { call.arguments += arguments }
            calls[index] = call
        }
    }

    var isEmpty: Bool { calls.isEmpty }

    /// The calls in index order; one without an id gets one (some servers leave it out).
    var assembled: [ToolCall] {
        calls.keys.sorted().map { index in
            let call = calls[index]!
            return ToolCall(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, arguments: call.arguments.isEmpty ? "{}" : call.arguments)
        }
    }
}
