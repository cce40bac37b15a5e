import OzziRuntime

/// A chat model the agent talks through: given the conversation and the tools, it streams its answer as
/// text pieces, then the tools it wants run (if any), then what it used. Two implementations: the
/// OpenAI-compatible client (`OpenAIChatModel`) and the offline agent (`OfflineAgent`, the default).
protocol LanguageModel: Sendable {
    func stream(_ messages: [ChatMessage], tools: [ToolDefinition]) -> AsyncThrowingStream<ModelEvent, Error>
}

enum ModelEvent: Sendable, Equatable {
    /// A piece of the answer's text, as produced.
    case text(String)
    /// The tools the model asked for, each whole (its pieces assembled).
    case toolCalls([ToolCall])
    case usage(promptTokens: Int, completionTokens: Int)
}

/// A tool as the model is told about it.
struct ToolDefinition: Sendable {
    let name: String
    let description: String
    /// JSON Schema of the arguments object.
    let parameters: JSONValue

    var json: JSONValue {
        ["type": "function", "function": ["name": .string(name), "description": .string(description), "parameters": parameters]]
    }
}

/// The model's own failure (an error in its stream, a refusal of the request).
struct ModelError: Error, CustomStringConvertible {
    let description: String
}
