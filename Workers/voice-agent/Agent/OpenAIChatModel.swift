import OzziRuntime

/// An OpenAI-compatible chat-completions client that streams: `POST {base}/chat/completions` with
/// `stream: true`, read as Server-Sent Events, text deltas handed on as they come, tool-call pieces
/// assembled by index, the usage from the last chunk, an in-stream `error` (or a refusal) thrown. With a
/// `response_format` (structured output), `text` collects the whole answer instead.
struct OpenAIChatModel: LanguageModel {
    let baseURL: String
    let model: String
    let apiKey: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    func stream(_ messages: [ChatMessage], tools: [ToolDefinition]) -> AsyncThrowingStream<ModelEvent, Error> {
        // On the caller's event loop when it has one (its curl handle and connections); else the host picks one.
        let loop = EventLoop.current
        return AsyncThrowingStream { continuation in
            let task = Task(executorPreference: loop) {
                do {
                    try await run(messages, tools: tools) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The whole answer's text, for a caller that reads it at once (a structured review) rather than as it
    /// is spoken. `responseFormat` is the API's `response_format` (a `json_schema` for structured output).
    func text(_ messages: [ChatMessage], responseFormat: JSONValue? = nil) async throws -> String {
        var text = ""
        try await run(messages, tools: [], responseFormat: responseFormat) { if case .text(let piece) = $0 { text += piece } }
        return text
    }

    func body(_ messages: [ChatMessage], tools: [ToolDefinition], responseFormat: JSONValue? = nil) -> JSONValue {
        var body: [String: JSONValue] = ["model": .string(model), "messages": .array(messages.map(\.json)), "stream": true,
                                         "stream_options": ["include_usage": true]]
        if !tools.isEmpty { body["tools"] = .array(tools.map(\.json)) }
        if let responseFormat { body["response_format"] = responseFormat }
        return .object(body)
    }

    private func run(_ messages: [ChatMessage], tools: [ToolDefinition], responseFormat: JSONValue? = nil,
                     yield: (ModelEvent) -> Void) async throws {
        var request = OutboundRequest(method: "POST", url: baseURL + "/chat/completions",
                                      headers: ["content-type": "application/json", "authorization": "Bearer " + apiKey, "accept": "text/event-stream"],
                                      body: body(messages, tools: tools, responseFormat: responseFormat).jsonBytes,
                                      timeoutMilliseconds: timeoutMilliseconds)
        request.resendable = true
        let response = try await outbound.stream(request)
        guard response.status == 200 else {
            var text: [UInt8] = []
            for try await piece in response.body where text.count < 4_096 { text += piece }
            let message = (try? JSONValue(jsonBytes: text))?["error"]?["message"]?.stringValue ?? String(decoding: text.prefix(300), as: UTF8.self)
            throw ModelError(description: "the model answered \(response.status): \(message)")
        }
        var events = ServerSentEvents()
        var calls = ToolCallAssembler()
        // A model held to a schema may refuse in `refusal` instead of answering in `content`.
        var refusal = ""
        for try await piece in response.body {
            for data in events.feed(piece) {
                if data == "[DONE]" { break }
                guard let chunk = try? JSONValue(jsonBytes: Array(data.utf8)) else { continue }
                if let error = chunk["error"] {
                    throw ModelError(description: "the model failed mid-answer: " + (error["message"]?.stringValue ?? error.jsonText))
                }
                for choice in chunk["choices"]?.arrayValue ?? [] {
                    if let text = choice["delta"]?["content"]?.stringValue, !text.isEmpty { yield(.text(text)) }
                    if let pieces = choice["delta"]?["tool_calls"]?.arrayValue { calls.add(pieces) }
                    if let piece = choice["delta"]?["refusal"]?.stringValue { refusal += piece }
                }
                if let usage = chunk["usage"], usage != .null {
                    yield(.usage(promptTokens: usage["prompt_tokens"]?.numberValue.map { Int($0) } ?? 0,
                                 completionTokens: usage["completion_tokens"]?.numberValue.map { Int($0) } ?? 0))
                }
            }
        }
        if !refusal.isEmpty { throw ModelError(description: "the model refused: " + refusal) }
        if !calls.isEmpty { yield(.toolCalls(calls.assembled)) }
    }
}
