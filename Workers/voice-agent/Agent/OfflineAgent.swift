import OzziRuntime

/// The agent that needs no network (the default): deterministic, it answers from the number's knowledge
/// and system prompt and uses the same tools a model would, so a whole call — tools, transfers, the
/// transcript — runs without an account. It streams one word at a time, `tokenDelay` apart (a model's pace).
struct OfflineAgent: LanguageModel {
    let knowledge: [(topic: String, answer: String)]
    let systemPrompt: String
    let tokenDelay: Duration

    func stream(_ messages: [ChatMessage], tools: [ToolDefinition]) -> AsyncThrowingStream<ModelEvent, Error> {
        let reply = self.reply(to: messages)
        let delay = tokenDelay
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    if case .speak(let text) = reply {
                        for token in SpokenWords.tokens(text) {
                            if delay > .zero { try await Task.sleep(for: delay) }
                            continuation.yield(.text(token))
                        }
                    } else if case .use(let name, let arguments) = reply {
                        if delay > .zero { try await Task.sleep(for: delay) }
                        let id = "call_" + String(messages.count)
                        continuation.yield(.toolCalls([ToolCall(id: id, name: name, arguments: arguments.jsonText)]))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    enum Reply: Equatable {
        case speak(String)
        case use(String, JSONValue)
    }

    /// What the agent does next: phrase a tool's result, or answer the caller's last words.
    func reply(to messages: [ChatMessage]) -> Reply {
        guard let last = messages.last else { return .speak("Hello! How can I help you today?") }
        if last.role == .tool { return .speak(phrase(result: last, call: messages.last { $0.role == .assistant }?.toolCalls.first)) }
        let said = last.content.lowercased()
        let words = Set(Self.words(said))
        if !words.isDisjoint(with: ["person", "human", "representative", "someone", "operator"]) || said.contains("real agent") {
            return .use("transfer_to_human", ["reason": .string("the caller asked for a person")])
        }
        if said.contains("who am i") || said.contains("do you know me") || said.contains("my account") { return .use("lookup_caller", [:]) }
        if said.contains("text me") || said.contains("send me a text") || words.contains("sms") {
            return .use("send_sms", ["body": .string(best(for: said)?.answer ?? "Thanks for calling!")])
        }
        if said.contains("call me back") || words.contains("callback") { return .use("schedule_callback", ["when": "as soon as possible"]) }
        if words.contains("message") { return .use("take_message", ["message": .string(last.content)]) }
        if !words.isDisjoint(with: ["bye", "goodbye"]) || said.contains("that's all") { return .use("end_call", [:]) }
        if let entry = best(for: said) { return .speak(entry.answer) }
        let topics = knowledge.map(\.topic)
        let offer = topics.isEmpty ? "" : " I can tell you about " + Self.list(topics) + "."
        return .speak(systemPrompt + offer + " I can also take a message, text you the details, or put you through to a person.")
    }

    /// The knowledge entry whose topic shares the most words with what was said.
    private func best(for said: String) -> (topic: String, answer: String)? {
        let words = Set(Self.words(said)).subtracting(Self.stopWords)
        let scored = knowledge.map { entry in (entry, Set(Self.words(entry.topic.lowercased())).subtracting(Self.stopWords).intersection(words).count) }
        guard let top = scored.max(by: { $0.1 < $1.1 }), top.1 > 0 else { return nil }
        return top.0
    }

    private func phrase(result message: ChatMessage, call: ToolCall?) -> String {
        let result = (try? JSONValue(jsonBytes: Array(message.content.utf8))) ?? .null
        if result["error"] != nil { return "Sorry, I could not do that just now." }
        switch call?.name {
        case "lookup_caller":
            guard result["found"]?.boolValue == true, let name = result["first_name"]?.stringValue ?? result["name"]?.stringValue, !name.isEmpty else {
                return "I do not have your number on file yet. May I take your name?"
            }
            return "I see you are \(name). How can I help you today, \(name)?"
        case "take_message": return "I have taken your message and passed it to the team."
        case "schedule_callback": return "I have asked the team to call you back \(result["when"]?.stringValue ?? "soon")."
        case "send_sms":
            return result["sent"]?.boolValue == true ? "I have sent you a text message with the details." : "Sorry, I could not send you a text just now."
        case "transfer_to_human": return "Let me put you through to a person now."
        case "end_call": return "Thank you for calling. Goodbye!"
        default: return "Done."
        }
    }

    private static let stopWords: Set<String> = ["the", "a", "an", "your", "you", "are", "is", "what", "me", "my", "i", "of", "to", "do", "please", "can", "for"]

    private static func words(_ text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map(String.init)
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
