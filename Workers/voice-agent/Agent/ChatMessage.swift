import OzziRuntime

/// One message of a conversation with a chat model, in the OpenAI chat-completions shape.
struct ChatMessage: Sendable, Equatable {
    enum Role: String, Sendable { case system, user, assistant, tool }

    var role: Role
    var content: String
    /// The tools an assistant message asked for.
    var toolCalls: [ToolCall] = []
    /// The call a tool message answers.
    var toolCallID: String?

    static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> ChatMessage { ChatMessage(role: .assistant, content: text, toolCalls: toolCalls) }
    static func tool(_ call: ToolCall, result: JSONValue) -> ChatMessage {
        ChatMessage(role: .tool, content: result.jsonText, toolCallID: call.id)
    }

    /// The message as the chat-completions API takes it.
    var json: JSONValue {
        var fields: [String: JSONValue] = ["role": .string(role.rawValue), "content": .string(content)]
        if !toolCalls.isEmpty {
            fields["tool_calls"] = .array(toolCalls.map { ["id": .string($0.id), "type": "function",
                                                           "function": ["name": .string($0.name), "arguments": .string($0.arguments)]] })
        }
        if let toolCallID { fields["tool_call_id"] = .string(toolCallID) }
        return .object(fields)
    }
}

/// A tool the model asked to run: its arguments are a JSON object as text (as the model wrote it).
struct ToolCall: Sendable, Equatable {
    let id: String
    let name: String
    let arguments: String

    /// The arguments parsed; a model's malformed JSON reads as no arguments.
    var parsedArguments: [String: JSONValue] {
        (try? JSONValue(jsonBytes: Array(arguments.utf8)))?.objectValue ?? [:]
    }
}
