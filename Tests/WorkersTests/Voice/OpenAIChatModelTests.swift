import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import VoiceAgentWorker

/// The OpenAI-compatible client against a local stub (Tests/clients/openai_stub.py) that streams chunks as
/// the real API does: text deltas, tool calls in pieces by index, a usage chunk, an in-stream error.
@Suite struct OpenAIChatModelTests {
    static let apiKey = "sk-test-0123456789"

    static func stub() async throws -> StubServer {
        try await StubServer("openai_stub.py", [apiKey])
    }

    /// Everything the model streamed for `messages`, or the error it ended with.
    static func events(_ messages: [ChatMessage], port: Int, key: String = apiKey) async -> (events: [ModelEvent], error: String?) {
        let group = try! EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let model = OpenAIChatModel(baseURL: "http://127.0.0.1:\(port)/v1", model: "gpt-test", apiKey: key,
                                    outbound: OutboundFetcher(worker: "voice-agent", allowed: [OutboundHostPattern("http://127.0.0.1:*")!]),
                                    timeoutMilliseconds: 300_000)
        return await Task(executorPreference: group.loops[0]) {
            var events: [ModelEvent] = []
            do {
                for try await event in model.stream(messages, tools: AgentTools.definitions) { events.append(event) }
                return (events, nil)
            } catch {
                return (events, "\(error)")
            }
        }.value
    }

    @Test func textStreamsAsItComesWithTheUsageAndTheRequestIsExact() async throws {
        let stub = try await Self.stub()
        let (events, error) = await Self.events([.system("Be brief."), .user("Hi")], port: stub.port)
        #expect(error == nil)
        let texts = events.compactMap { if case .text(let piece) = $0 { piece } else { nil } }
        #expect(texts.count >= 3, "pieces as they came, not one answer")
        #expect(texts.joined() == "Hello there, how can I help?")
        #expect(events.last == .usage(promptTokens: 11, completionTokens: 7))

        let request = try #require(try await stub.requests().first)
        #expect(request["path"] as? String == "/v1/chat/completions")
        let headers = (request["headers"] as? [String: String] ?? [:]).reduce(into: [String: String]()) { $0[$1.key.lowercased()] = $1.value }
        #expect(headers["authorization"] == "Bearer " + Self.apiKey)
        #expect(headers["content-type"] == "application/json")
        let body = try #require(request["body"] as? [String: Any])
        #expect(body["model"] as? String == "gpt-test" && body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((body["messages"] as? [[String: Any]])?.map { $0["role"] as? String ?? "" } == ["system", "user"])
        let tools = try #require(body["tools"] as? [[String: Any]])
        #expect(tools.compactMap { ($0["function"] as? [String: Any])?["name"] as? String } == AgentTools.definitions.map(\.name))
        #expect(tools.allSatisfy { $0["type"] as? String == "function" })
    }

    @Test func toolCallPiecesAreAssembledByIndex() async throws {
        let stub = try await Self.stub()
        let (events, error) = await Self.events([.user("What's the weather in Paris?")], port: stub.port)
        #expect(error == nil)
        let calls = events.compactMap { if case .toolCalls(let calls) = $0 { calls } else { nil } }
        #expect(calls == [[ToolCall(id: "call_abc", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                           ToolCall(id: "call_def", name: "lookup_caller", arguments: "{}")]])
        #expect(calls.first?.first?.parsedArguments == ["city": "Paris"])

        // The tool's result goes back as the API expects it: the assistant's calls, then a tool message per call.
        let call = calls[0][0]
        let (answer, _) = await Self.events([.user("What's the weather in Paris?"), .assistant("", toolCalls: [call]), .tool(call, result: ["sky": "sunny"])],
                                            port: stub.port)
        #expect(answer.compactMap { if case .text(let piece) = $0 { piece } else { nil } }.joined() == "The weather in Paris is sunny.")
        let sent = try #require(try await stub.requests().last?["body"] as? [String: Any])
        let messages = try #require(sent["messages"] as? [[String: Any]])
        #expect((messages[1]["tool_calls"] as? [[String: Any]])?.first?["id"] as? String == "call_abc")
        #expect(messages[2]["role"] as? String == "tool" && messages[2]["tool_call_id"] as? String == "call_abc")
        #expect(messages[2]["content"] as? String == #"{"sky":"sunny"}"#)
    }

    @Test func anErrorInTheStreamEndsItWithTheModelsMessage() async throws {
        let stub = try await Self.stub()
        let (events, error) = await Self.events([.user("explode please")], port: stub.port)
        #expect(events == [.text("Hel"), .text("lo")])
        #expect(error?.contains("model overloaded") == true, "\(error ?? "")")
    }

    @Test func aRefusedKeyIsAnErrorNamingTheStatus() async throws {
        let stub = try await Self.stub()
        let (events, error) = await Self.events([.user("Hi")], port: stub.port, key: "sk-wrong")
        #expect(events.isEmpty)
        #expect(error?.contains("401") == true, "\(error ?? "")")
    }

    @Test func eventsAreCutFromPiecesAnywhere() {
        var parser = ServerSentEvents()
        var got: [String] = []
        let stream = ": comment\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: one\ndata: two\n\ndata:[DONE]\r\r"
        // Byte by byte: every cut point, including between \r and \n.
        for byte in Array(stream.utf8) { got += parser.feed([byte]) }
        #expect(got == [#"{"a":1}"#, "one\ntwo", "[DONE]"])
    }
}
