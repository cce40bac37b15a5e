import Logging
import OzziRuntime

/// One call's ConversationRelay session: reads Twilio's messages, runs the agent's answers (streaming
/// its words as they come, running its tools), cuts an answer short when the caller interrupts, drives
/// the keypad menu, and ends the session for a handoff. The session outlives its socket for five
/// minutes, so Twilio's reconnect of the same call finds the conversation where it was.
actor RelaySession {
    let callID: String
    private let settings: VoiceCallSettings
    private let model: any LanguageModel
    private let directory: VoiceDirectory
    private let toolTimeout: Duration
    /// A voice lab conversation: the tools' calls and results go to the socket too (`RelayReply.labTool`), and
    /// an interruption is acknowledged (`RelayReply.labInterrupted`), so the page knows which words are of the
    /// answer it cut off.
    private let isLab: Bool
    private let clock: any WallClock
    private let logger: Logger
    private var conversation: RelayConversation
    private var socket: (any RelayTransport)?
    /// The answer being produced, and its number (events of an older answer are ignored).
    private var answer: Task<Void, Never>?
    private var answerNumber = 0
    /// The language Twilio speaks and transcribes in now (the number's, until the caller speaks another).
    private var language: String
    /// Words of a prompt Twilio sent in parts (`last: false`).
    private var partialPrompt = ""
    /// Set by a session tool: the `end` sent once the agent's last words are out.
    private var pendingEnd: JSONValue?
    private(set) var ended = false
    /// The session ends after the words being spoken (a handoff or goodbye is on its way).
    private var closing = false

    /// Whether the session has ended or is about to: the simulated callee waits for the `end` then, instead of
    /// hanging up.
    var isClosing: Bool { closing || ended }
    /// When the socket last closed (nil while one is attached): the registry forgets the session 5 minutes on.
    private(set) var detachedAtMs: Int64?
    /// The latest batch of turns on its way to the call's record. Each waits for the one before, so the record
    /// keeps their order, off the path of the caller's answer.
    private var recording: Task<Void, Never>?
    private let timings: TurnTimings
    /// When the prompt being answered arrived, and the model's time to its first piece, until the first words go out.
    private var promptAt: ContinuousClock.Instant?
    private var modelFirstPiece: Duration?

    init(callID: String, settings: VoiceCallSettings, recorded: [RelayConversation.Turn], model: any LanguageModel, directory: VoiceDirectory,
         toolTimeout: Duration, isLab: Bool = false, timings: TurnTimings, clock: any WallClock, logger: Logger) {
        self.isLab = isLab
        self.timings = timings
        language = settings.language
        self.callID = callID
        self.settings = settings
        self.model = model
        self.directory = directory
        self.toolTimeout = toolTimeout
        self.clock = clock
        self.logger = logger
        conversation = RelayConversation(systemPrompt: settings.instructions, recorded: recorded)
        if recorded.isEmpty, !settings.greeting.isEmpty {
            // Twilio speaks the welcome greeting itself (TwiML's welcomeGreeting): it is the agent's first turn.
            conversation.spoke(settings.greeting, atMs: clock.milliseconds)
            conversation.answerEnded()
        }
    }

    /// Serves one transport until it closes; Twilio may open another for the same call.
    func attach(_ socket: any RelayTransport) async {
        self.socket = socket
        detachedAtMs = nil
        for await text in socket.texts() {
            await handle(RelayFrame.parse(text))
        }
        if self.socket?.id == socket.id {
            self.socket = nil
            detachedAtMs = clock.milliseconds
            answer?.cancel()
            conversation.settle()
            flush()
            await recording?.value
        }
    }

    var isLive: Bool { socket != nil }

    func handle(_ frame: RelayFrame) async {
        let now = clock.milliseconds
        switch frame {
        case .setup:
            break
        case .prompt(let text, let last, let language):
            partialPrompt += text
            guard last else { return }
            if let language, language.lowercased() != self.language.lowercased() {
                // The caller speaks another language than the one set: speech and transcription follow them.
                self.language = language
                await send(RelayReply.language(language))
            }
            let said = partialPrompt
            partialPrompt = ""
            stopAnswer()
            conversation.callerSaid(said, atMs: now)
            flush()
            promptAt = .now
            startAnswer()
        case .interrupt(let heard, _):
            stopAnswer()
            conversation.interrupted(heard: heard, atMs: now)
            flush()
            if isLab { await send(RelayReply.labInterrupted) }
        case .dtmf(let digit):
            stopAnswer()
            conversation.callerSaid("(pressed \(digit))", atMs: now)
            flush()
            await menu(digit)
        case .error(let description):
            logger.warning("ConversationRelay reported an error", metadata: ["call": "\(callID)", "description": "\(description)"])
        case .unknown(let type):
            logger.info("an unknown ConversationRelay message was ignored", metadata: ["call": "\(callID)", "type": "\(type)"])
        case .invalid(let reason):
            logger.info("an unreadable ConversationRelay message was ignored", metadata: ["call": "\(callID)", "reason": "\(reason)"])
        }
    }

    // MARK: - Answers

    private func startAnswer() {
        answerNumber += 1
        let number = answerNumber
        let model = self.model
        answer = Task { [weak self] in
            guard let self else { return }
            var rounds = 0
            do {
                while rounds < 4, !Task.isCancelled {
                    rounds += 1
                    var calls: [ToolCall] = []
                    let asked = ContinuousClock.now
                    var first = true
                    for try await event in model.stream(await self.history, tools: AgentTools.definitions) {
                        if first, rounds == 1 {
                            first = false
                            await self.modelAnswered(after: .now - asked, answer: number)
                        }
                        switch event {
                        case .text(let piece): await self.speak(piece, answer: number)
                        case .toolCalls(let asked): calls = asked
                        case .usage: break
                        }
                    }
                    if calls.isEmpty || Task.isCancelled { break }
                    guard await self.toolsCalled(calls, answer: number) else { return }
                    for call in calls {
                        let result = await self.run(call)
                        guard await self.toolAnswered(call, result: result, answer: number) else { return }
                    }
                }
            } catch {
                self.logger.warning("the agent's model failed", metadata: ["call": "\(self.callID)", "error": "\(error)"])
                await self.speak(rounds > 1 ? "" : "Sorry, I am having trouble right now.", answer: number)
            }
            await self.answerEnded(number)
        }
    }

    private func modelAnswered(after duration: Duration, answer number: Int) {
        guard number == answerNumber else { return }
        modelFirstPiece = duration
    }

    private func stopAnswer() {
        promptAt = nil
        modelFirstPiece = nil
        answer?.cancel()
        answer = nil
        answerNumber += 1
    }

    private var history: [ChatMessage] { conversation.history }

    private func speak(_ piece: String, answer number: Int) async {
        guard number == answerNumber, !piece.isEmpty else { return }
        conversation.spoke(piece, atMs: clock.milliseconds)
        await send(RelayReply.text(piece, last: false))
        if let promptAt, let modelFirstPiece {
            // The first words of an answer to a prompt are out: how long the caller waited, and the model's part.
            timings.record(TurnTimings.Sample(firstTokenMs: Self.ms(.now - promptAt), modelMs: Self.ms(modelFirstPiece)))
        }
        promptAt = nil
        modelFirstPiece = nil
    }

    private func answerEnded(_ number: Int) async {
        guard number == answerNumber else { return }
        answer = nil
        conversation.answerEnded()
        // Decided before the answer's end goes out: whoever hears it can ask whether the session is closing.
        let handoff = pendingEnd
        pendingEnd = nil
        if handoff != nil { closing = true }
        await send(RelayReply.text("", last: true))
        if let handoff { await end(handoff) }
    }

    private func toolsCalled(_ calls: [ToolCall], answer number: Int) async -> Bool {
        guard number == answerNumber else { return false }
        conversation.toolsCalled(calls)
        flush()
        if isLab { for call in calls { await send(RelayReply.labTool(call)) } }
        return true
    }

    private func toolAnswered(_ call: ToolCall, result: JSONValue, answer number: Int) async -> Bool {
        guard number == answerNumber else { return false }
        conversation.toolAnswered(call, result: result, atMs: clock.milliseconds)
        flush()
        if isLab { await send(RelayReply.labTool(call, result: result)) }
        return true
    }

    /// Runs one tool: the session's own (a handoff, the end of the call) here, the rest in the api, each
    /// bounded by the tool timeout (a late answer is an error the model is told about).
    private func run(_ call: ToolCall) async -> JSONValue {
        switch call.name {
        case "transfer_to_human":
            guard settings.transferTo != nil else { return ["error": "there is no one to transfer to; offer to take a message"] }
            let reason = call.parsedArguments["reason"]?.stringValue ?? "the caller asked for a person"
            pendingEnd = ["reasonCode": "live-agent-handoff", "reason": .string(reason), "callId": .string(callID)]
            return ["transferring": true]
        case "end_call":
            pendingEnd = ["reasonCode": "end-call", "reason": "the caller was done", "callId": .string(callID)]
            return ["ending": true]
        default:
            let directory = self.directory, callID = self.callID, timeout = toolTimeout
            return await withTaskGroup(of: JSONValue?.self) { group in
                group.addTask { try? await directory.tool(callID: callID, name: call.name, arguments: call.parsedArguments) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return Task.isCancelled ? nil : ["error": "the tool did not answer in time"]
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first ?? ["error": "the tool failed"]
            }
        }
    }

    // MARK: - Keypad

    private func menu(_ digit: String) async {
        guard let option = settings.menu[digit] else {
            await say("Sorry, that key is not an option.")
            return
        }
        switch option.action {
        case "say":
            await say(option.text)
        case "transfer" where settings.transferTo != nil:
            closing = true
            await say("Let me put you through to a person now.")
            await end(["reasonCode": "live-agent-handoff", "reason": .string("the caller pressed \(digit)"), "callId": .string(callID)])
        case "end":
            closing = true
            await say("Thank you for calling. Goodbye!")
            await end(["reasonCode": "end-call", "reason": .string("the caller pressed \(digit)"), "callId": .string(callID)])
        case "ask":
            conversation.callerSaid(option.text, atMs: clock.milliseconds)
            startAnswer()
        default:
            await say("Sorry, there is no one to transfer to right now.")
        }
    }

    /// Fixed words, spoken as an answer of their own.
    private func say(_ text: String) async {
        answerNumber += 1
        let number = answerNumber
        for word in SpokenWords.tokens(text) { await speak(word, answer: number) }
        await answerEnded(number)
    }

    private static func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    // MARK: - Ending

    private func end(_ handoff: JSONValue) async {
        guard !ended else { return }
        ended = true
        conversation.settle()
        flush()
        // The transcript is whole before Twilio hears the session end: its Connect action and the call's
        // completion come after, and whoever reads the ended call reads every turn.
        await recording?.value
        await send(RelayReply.end(handoff: handoff))
    }

    private func flush() {
        let turns = conversation.takeSettled()
        guard !turns.isEmpty else { return }
        let previous = recording, directory = self.directory, callID = self.callID, logger = self.logger
        recording = Task {
            await previous?.value
            do { try await directory.record(callID: callID, turns: turns) } catch {
                logger.warning("a call's turns were not recorded", metadata: ["call": "\(callID)", "error": "\(error)"])
            }
        }
    }

    private func send(_ text: String) async {
        guard let socket else { return }
        do { try await socket.send(text) } catch {
            logger.info("a ConversationRelay message could not be sent", metadata: ["call": "\(callID)", "error": "\(error)"])
        }
    }

}
