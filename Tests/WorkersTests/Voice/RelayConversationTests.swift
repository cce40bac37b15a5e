import OzziRuntime
import Testing
@testable import VoiceAgentWorker

/// The conversation's state machine: what the model sees and what the transcript keeps, through answers,
/// interruptions (during and after an answer), tools, and a rebuild from the call's record.
@Suite struct RelayConversationTests {
    static func roles(_ conversation: RelayConversation) -> [String] {
        conversation.history.map { "\($0.role.rawValue):\($0.content)" }
    }

    @Test func anInterruptionCutsTheAnswerToWhatWasHeard() {
        var conversation = RelayConversation(systemPrompt: "sys")
        conversation.callerSaid("Tell me about yourself", atMs: 1)
        for word in ["I ", "am ", "the ", "front ", "desk."] { conversation.spoke(word, atMs: 2) }
        let cut = conversation.interrupted(heard: "I am  the", atMs: 3)
        #expect(cut)
        #expect(Self.roles(conversation) == ["system:sys", "user:Tell me about yourself", "assistant:I am the"])
        let turns = conversation.takeSettled()
        #expect(turns.map(\.role) == ["caller", "agent"])
        #expect(turns[1].text == "I am the" && turns[1].interrupted && turns[1].atMs == 2)
        #expect(conversation.interruptions == 1)
        #expect(conversation.takeSettled().isEmpty)
    }

    @Test func anInterruptionAfterTheAnswerWasSentStillCutsIt() {
        // Twilio speaks the answer after we sent all of it: the interruption comes after `last: true`.
        var conversation = RelayConversation(systemPrompt: "sys")
        conversation.callerSaid("Hours?", atMs: 1)
        conversation.spoke("We are open nine to five.", atMs: 2)
        conversation.answerEnded()
        #expect(Self.roles(conversation).last == "assistant:We are open nine to five.")
        let cut = conversation.interrupted(heard: "We are", atMs: 3)
        #expect(cut)
        #expect(Self.roles(conversation) == ["system:sys", "user:Hours?", "assistant:We are"])
        #expect(conversation.takeSettled().last == RelayConversation.Turn(role: "agent", text: "We are", interrupted: true, atMs: 2))
    }

    @Test func theNextPromptSettlesTheAnswerWhole() {
        var conversation = RelayConversation(systemPrompt: "sys")
        conversation.callerSaid("Hours?", atMs: 1)
        conversation.spoke("Nine ", atMs: 2)
        conversation.spoke("to five.", atMs: 2)
        conversation.answerEnded()
        conversation.callerSaid("Thanks", atMs: 3)
        #expect(conversation.takeSettled().map(\.text) == ["Hours?", "Nine to five.", "Thanks"])
        // Nothing was speaking: an interruption now changes nothing.
        let cut = conversation.interrupted(heard: "anything", atMs: 4)
        #expect(!cut)
        #expect(Self.roles(conversation) == ["system:sys", "user:Hours?", "assistant:Nine to five.", "user:Thanks"])
    }

    @Test func toolsAreInTheHistoryAndTheTranscriptAndAnInterruptionAnswersOpenOnes() {
        var conversation = RelayConversation(systemPrompt: "sys")
        conversation.callerSaid("Who am I?", atMs: 1)
        let lookup = ToolCall(id: "c1", name: "lookup_caller", arguments: "{}")
        let sms = ToolCall(id: "c2", name: "send_sms", arguments: #"{"body":"hi"}"#)
        conversation.spoke("Let me check. ", atMs: 2)
        conversation.toolsCalled([lookup, sms])
        conversation.toolAnswered(lookup, result: ["found": true], atMs: 3)
        conversation.interrupted(heard: "", atMs: 4)
        let history = conversation.history
        #expect(history.map(\.role) == [.system, .user, .assistant, .tool, .tool])
        #expect(history[2].toolCalls == [lookup, sms] && history[2].content == "Let me check. ")
        #expect(history[4].toolCallID == "c2" && history[4].content.contains("interrupted"), "every tool call is answered before the model is asked again")
        let turns = conversation.takeSettled()
        #expect(turns.map(\.role) == ["caller", "agent", "tool", "tool"])
        #expect(turns[3].tool?["arguments"]?["body"] == "hi")
    }

    @Test func aRecordedTranscriptRebuildsTheHistory() {
        let recorded = [
            RelayConversation.Turn(role: "agent", text: "Hello", atMs: 0),
            RelayConversation.Turn(role: "caller", text: "Who am I?", atMs: 0),
            RelayConversation.Turn(role: "tool", text: "lookup_caller", tool: ["name": "lookup_caller", "arguments": [:], "result": ["found": false]], atMs: 0),
            RelayConversation.Turn(role: "agent", text: "I do not know", interrupted: true, atMs: 0),
        ]
        let conversation = RelayConversation(systemPrompt: "sys", recorded: recorded)
        #expect(conversation.history.map(\.role) == [.system, .assistant, .user, .assistant, .tool, .assistant])
        #expect(conversation.history[3].toolCalls.first?.name == "lookup_caller")
        #expect(conversation.history[4].toolCallID == conversation.history[3].toolCalls.first?.id)
        #expect(conversation.history[5].content == "I do not know")
    }

    @Test func cuttingByWords() {
        #expect(RelayConversation.cut("We are open nine to five.", toWordsOf: "We are") == "We are")
        #expect(RelayConversation.cut("We are open", toWordsOf: "we ARE open today too") == "We are open")
        #expect(RelayConversation.cut("We are", toWordsOf: "") == "")
        #expect(RelayConversation.cut("  Hello,   world ", toWordsOf: "hello") == "  Hello,")
    }

    @Test func framesAreReadLenientlyAndGarbageIsNamed() {
        #expect(RelayFrame.parse(#"{"type":"prompt","voicePrompt":"Hi","lang":"en-US","last":true}"#) == .prompt(text: "Hi", last: true, language: "en-US"))
        #expect(RelayFrame.parse(#"{"type":"prompt","voicePrompt":"Hi","last":"false"}"#) == .prompt(text: "Hi", last: false, language: nil))
        #expect(RelayFrame.parse(#"{"type":"interrupt","utteranceUntilInterrupt":"We are","durationUntilInterruptMs":"460"}"#)
            == .interrupt(heard: "We are", durationMs: 460))
        #expect(RelayFrame.parse(#"{"type":"dtmf","digit":"1"}"#) == .dtmf(digit: "1"))
        #expect(RelayFrame.parse(#"{"type":"setup","callSid":"CA1","sessionId":"VX1","customParameters":{"callId":"call_1","n":3}}"#)
            == .setup(callSid: "CA1", sessionID: "VX1", customParameters: ["callId": "call_1", "n": "3"]))
        #expect(RelayFrame.parse("not json") == .invalid(reason: "not a JSON object"))
        #expect(RelayFrame.parse("[1,2]") == .invalid(reason: "not a JSON object"))
        #expect(RelayFrame.parse(#"{"no":"type"}"#) == .invalid(reason: "no type"))
        #expect(RelayFrame.parse(#"{"type":"dtmf"}"#) == .invalid(reason: "a dtmf without digit"))
        #expect(RelayFrame.parse(#"{"type":"nonsense"}"#) == .unknown(type: "nonsense"))
    }

    @Test func theOfflineAgentAnswersFromKnowledgeAndUsesTools() {
        let agent = OfflineAgent(knowledge: [("opening hours", "Nine to five."), ("address", "12 Harbour Street.")], systemPrompt: "I am the desk.",
                                 tokenDelay: .zero)
        #expect(agent.reply(to: [.user("What are your opening hours?")]) == .speak("Nine to five."))
        #expect(agent.reply(to: [.user("Can I talk to a human please")]) == .use("transfer_to_human", ["reason": "the caller asked for a person"]))
        #expect(agent.reply(to: [.user("Please text me your address")]) == .use("send_sms", ["body": "12 Harbour Street."]))
        #expect(agent.reply(to: [.user("I'd like to leave a message")]) == .use("take_message", ["message": "I'd like to leave a message"]))
        guard case .speak(let about) = agent.reply(to: [.user("Tell me about yourself")]) else { Issue.record("no answer"); return }
        #expect(about.hasPrefix("I am the desk. I can tell you about opening hours and address."))
        let call = ToolCall(id: "c", name: "lookup_caller", arguments: "{}")
        #expect(agent.reply(to: [.user("Who am I?"), .assistant("", toolCalls: [call]), .tool(call, result: ["found": true, "first_name": "Ada"])])
            == .speak("I see you are Ada. How can I help you today, Ada?"))
    }
}
