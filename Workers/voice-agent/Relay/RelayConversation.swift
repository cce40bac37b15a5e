import OzziRuntime

/// A call's conversation as a pure state machine: the history the model sees, and the transcript turns
/// as they settle. The agent's words stay open until the caller speaks again, so an interruption that
/// arrives after the text was sent (Twilio is still speaking it) still cuts it to what the caller heard,
/// in the history and in the transcript: the agent never builds on words the caller did not hear.
struct RelayConversation: Sendable {
    struct Turn: Sendable, Equatable {
        let role: String
        let text: String
        var interrupted = false
        var tool: JSONValue? = nil
        let atMs: Int64

        var json: JSONValue {
            ["role": .string(role), "text": .string(text), "interrupted": .bool(interrupted), "tool": tool ?? .null, "at_ms": .number(Double(atMs))]
        }
    }

    private(set) var history: [ChatMessage]
    /// The agent's words not yet settled, and when it began them.
    private var speech: String?
    private var speechAt: Int64 = 0
    /// Whether `speech` is already the last assistant message of `history` (its answer ended).
    private var speechInHistory = false
    /// Tools asked for and not yet answered (an interruption answers them).
    private var openCalls: [ToolCall] = []
    private var settled: [Turn] = []
    private(set) var interruptions = 0

    init(systemPrompt: String) {
        history = [.system(systemPrompt)]
    }

    /// The conversation as the call's record holds it (a reconnect on another host).
    init(systemPrompt: String, recorded: [Turn]) {
        self.init(systemPrompt: systemPrompt)
        for (index, turn) in recorded.enumerated() {
            switch turn.role {
            case "caller": history.append(.user(turn.text))
            case "agent": history.append(.assistant(turn.text))
            default:
                let call = ToolCall(id: "call_r\(index)", name: turn.tool?["name"]?.stringValue ?? "tool",
                                    arguments: (turn.tool?["arguments"] ?? [:]).jsonText)
                history.append(.assistant("", toolCalls: [call]))
                history.append(.tool(call, result: turn.tool?["result"] ?? .null))
            }
        }
    }

    mutating func callerSaid(_ text: String, atMs: Int64) {
        settleSpeech()
        history.append(.user(text))
        settled.append(Turn(role: "caller", text: text, atMs: atMs))
    }

    /// A piece of the agent's answer went to Twilio.
    mutating func spoke(_ token: String, atMs: Int64) {
        if speech == nil {
            speech = ""
            speechAt = atMs
        }
        speech! += token
    }

    /// The answer ended (`last: true` sent): its words join the history, open to an interruption still.
    mutating func answerEnded() {
        guard let speech, !speechInHistory else { return }
        history.append(.assistant(speech))
        speechInHistory = true
    }

    /// The model asked for tools (after any words of its own).
    mutating func toolsCalled(_ calls: [ToolCall]) {
        history.append(.assistant(speech ?? "", toolCalls: calls))
        if let speech { settled.append(Turn(role: "agent", text: speech, atMs: speechAt)) }
        speech = nil
        speechInHistory = false
        openCalls = calls
    }

    mutating func toolAnswered(_ call: ToolCall, result: JSONValue, atMs: Int64) {
        guard let index = openCalls.firstIndex(of: call) else { return }
        openCalls.remove(at: index)
        history.append(.tool(call, result: result))
        settled.append(Turn(role: "tool", text: call.name, tool: ["name": .string(call.name), "arguments": .object(call.parsedArguments), "result": result],
                            atMs: atMs))
    }

    /// The caller spoke over the agent, having heard `heard`: the agent's open words are cut to it (by
    /// words: Twilio's text of the utterance may differ from ours in spacing and punctuation), and tools
    /// still running are answered as interrupted. False when the agent was not speaking.
    @discardableResult
    mutating func interrupted(heard: String, atMs: Int64) -> Bool {
        for call in openCalls { toolAnswered(call, result: ["error": "the caller interrupted"], atMs: atMs) }
        guard let speech else { return false }
        let kept = Self.cut(speech, toWordsOf: heard)
        if speechInHistory, let index = history.lastIndex(where: { $0.role == .assistant }) {
            history[index].content = kept
        } else {
            history.append(.assistant(kept))
        }
        settled.append(Turn(role: "agent", text: kept, interrupted: true, atMs: speechAt))
        self.speech = nil
        speechInHistory = false
        interruptions += 1
        return true
    }

    /// Settles what is open (the call is ending or the socket closed).
    mutating func settle() {
        settleSpeech()
    }

    /// The turns settled since the last call, in order.
    mutating func takeSettled() -> [Turn] {
        defer { settled.removeAll() }
        return settled
    }

    private mutating func settleSpeech() {
        guard let speech else { return }
        if !speechInHistory { history.append(.assistant(speech)) }
        settled.append(Turn(role: "agent", text: speech, atMs: speechAt))
        self.speech = nil
        speechInHistory = false
    }

    /// The first words of `text`, as many as `heard` has.
    static func cut(_ text: String, toWordsOf heard: String) -> String {
        let count = heard.split(whereSeparator: \.isWhitespace).count
        guard count > 0 else { return "" }
        var seen = 0, end = text.startIndex, inWord = false
        for index in text.indices {
            if text[index].isWhitespace {
                if inWord { seen += 1; inWord = false; if seen == count { return String(text[..<index]) } }
            } else {
                inWord = true
                end = text.index(after: index)
            }
        }
        return String(text[..<end])
    }
}
