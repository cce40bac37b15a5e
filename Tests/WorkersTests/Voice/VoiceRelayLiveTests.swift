import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A whole call as Twilio drives it, over real sockets: Tests/clients/voice_relay.py (the `websockets`
/// library) signs the incoming webhook, reads the TwiML, opens the ConversationRelay socket with a signed
/// upgrade and speaks to the offline agent — prompts, an interruption, the keypad, garbage, a reconnect,
/// tools, a handoff — then the Connect action and the status callback; the call's record says what happened.
@Suite struct VoiceRelayLiveTests {
    static let account = "AC" + String(repeating: "7", count: 32)
    static let authToken = "voice-test-token-0123456789"
    static let number = "+12025550100", caller = "+12025550143", transfer = "+12025550199"

    @Test func aCallRunsThroughTheAgentAsTwilioDrivesIt() async throws {
        // One word every 150 ms: an answer of 20 words takes 3 s, so the client's interruption after three
        // words lands while the agent is still speaking, however busy the machine.
        // Tools get a minute: under a full parallel suite on two cores an api call can take seconds.
        let host = try await WorkerTestHost.start("voice-agent", .live, vars: ["AGENT_TOKEN_MS": "150", "TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("owner@example.com").string("access_token"))
        let sms = try await host.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(Self.account),
                                                                           "auth_token": .string(Self.authToken), "from_number": .string(Self.number)], token: token)
        #expect(sms.status == 200, "\(sms.body)")
        let contact = try await host.call("POST", "/api/v1/contacts", json: ["first_name": "Ada", "last_name": "Lovelace", "phone": .string(Self.caller)],
                                          token: token)
        #expect(contact.status == 201, "\(contact.body)")
        let voiceNumber = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": .string(Self.number), "name": "Front desk", "greeting": "Thanks for calling Harbour Dental. How can I help?",
            "system_prompt": "I am the virtual front desk of Harbour Dental, a family dental practice by the sea that has cared for smiles for thirty years.",
            "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five, Monday to Friday."],
                          ["topic": "address", "answer": "We are at 12 Harbour Street."]],
            "menu": ["1": ["action": "say", "text": "Press one: our address is 12 Harbour Street."]],
            "transfer_to": .string(Self.transfer), "voice": "UgBBYS2sOqTuMpoF3BR0",
        ], token: token)
        #expect(voiceNumber.status == 201, "\(voiceNumber.body)")

        let run = try await Subprocess.run("/usr/bin/python3", [Subprocess.clientPath("voice_relay.py"), host.base, token, Self.account, Self.authToken,
                                                                Self.number, Self.caller, Self.transfer])
        #expect(run.status == 0, "voice_relay.py: \(run.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
        #expect((seen["errors"] as? [String: Any])?.isEmpty == true, "\(seen["errors"] ?? "")")

        // Unsigned and wrongly signed webhooks are refused; the signed one is answered with TwiML.
        #expect(seen["incoming_unsigned_status"] as? Int == 403)
        #expect(seen["incoming_bad_signature_status"] as? Int == 403)
        #expect(seen["incoming_status"] as? Int == 200)
        #expect((seen["incoming_content_type"] as? String)?.hasPrefix("text/xml") == true)
        let relay = try #require(seen["relay_attributes"] as? [String: String])
        let callID = try #require(seen["call_id"] as? String)
        #expect(relay["url"] == host.base.replacingOccurrences(of: "http://", with: "ws://") + "/voice/ws/" + callID)
        #expect(relay["welcomeGreeting"] == "Thanks for calling Harbour Dental. How can I help?")
        #expect(relay["language"] == "en-US" && relay["ttsProvider"] == "ElevenLabs" && relay["voice"] == "UgBBYS2sOqTuMpoF3BR0")
        #expect(relay["transcriptionProvider"] == "Deepgram" && relay["interruptible"] == "any" && relay["dtmfDetection"] == "true")
        #expect(seen["connect_action"] as? String == host.base + "/voice/action")
        #expect((seen["relay_parameters"] as? [String: String])?["callId"] == callID)

        // Handshakes without a good signature are refused before the upgrade.
        #expect(seen["ws_unsigned_refused"] as? Bool == true)
        #expect(seen["ws_bad_signature_refused"] as? Bool == true)

        // The knowledge answer, streamed word by word.
        #expect(seen["hours_answer"] as? String == "We are open from nine to five, Monday to Friday.")
        #expect(((seen["hours_tokens"] as? [String]) ?? []).count >= 5)
        // Interrupted after three words: the rest of the answer never came.
        let heard = try #require(seen["interrupt_heard"] as? String)
        #expect(heard.split(separator: " ").count == 3)
        // No end of that answer ever came: the rest of it (some 45 words, 150 ms apart) was dropped, not sent.
        // A word or two may have crossed the interruption on the wire.
        #expect(seen["after_interrupt_last_seen"] as? Bool == false)
        #expect(((seen["after_interrupt_frames"] as? [Any]) ?? []).count < 10, "\(seen["after_interrupt_frames"] ?? "")")
        // A prompt in Spanish switches Twilio's speech and transcription before the answer; English switches back.
        let switched = try #require(seen["language_frame"] as? [String: Any])
        #expect(switched["type"] as? String == "language" && switched["ttsLanguage"] as? String == "es-ES"
                    && switched["transcriptionLanguage"] as? String == "es-ES", "\(switched)")
        #expect((seen["language_back_frame"] as? [String: Any])?["ttsLanguage"] as? String == "en-US")
        #expect(seen["menu_answer"] as? String == "Press one: our address is 12 Harbour Street.")
        // A frame over the limit closes the socket by the protocol (1009); the reconnect finds the conversation.
        #expect(seen["huge_close_code"] as? Int == 1009)
        #expect((seen["who_answer"] as? String)?.contains("Ada") == true, "\(seen["who_answer"] ?? "")")
        #expect((seen["sms_answer"] as? String)?.contains("text message") == true, "\(seen["sms_answer"] ?? "")")
        // The handoff: `end` with handoffData (a JSON string), then the Connect action dials the human.
        #expect(seen["handoff_data_type"] as? String == "str")
        let handoff = try #require(seen["handoff_data"] as? [String: Any])
        #expect(handoff["reasonCode"] as? String == "live-agent-handoff")
        #expect(seen["action_unsigned_status"] as? Int == 403)
        #expect(seen["action_status"] as? Int == 200)
        #expect(seen["dial"] as? String == Self.transfer)
        #expect([200, 204].contains(seen["status_callback_status"] as? Int ?? 0))

        // The record: the transcript with the interrupted turn cut to what was heard, the tools, the timeline.
        let call = try #require(seen["call"] as? [String: Any])
        #expect(call["status"] as? String == "completed")
        #expect(call["duration_seconds"] as? Int == 42)
        #expect(call["answered_at"] is String, "the relay opening answers the call")
        #expect(call["interruptions"] as? Int == 1)
        #expect(call["handoff_reason"] as? String == "the caller asked for a person")
        #expect(call["contact_id"] as? String == (try contact.string("id")))
        let turns = try #require(call["turns"] as? [[String: Any]])
        let lines = turns.map { "\($0["role"] as? String ?? "") \($0["interrupted"] as? Bool == true ? "(cut) " : "")\($0["text"] as? String ?? "")" }
        #expect(lines.first == "agent Thanks for calling Harbour Dental. How can I help?", "\(lines)")
        #expect(lines.contains("caller What are your opening hours?"), "\(lines)")
        #expect(lines.contains("agent (cut) " + heard), "\(lines)")
        #expect(lines.contains("caller (pressed 1)"), "\(lines)")
        #expect(lines.filter { $0 == "caller What are your opening hours?" }.count == 3, "\(lines)")
        let tools = turns.compactMap { $0["tool"] as? [String: Any] }
        #expect(tools.compactMap { $0["name"] as? String } == ["lookup_caller", "send_sms", "transfer_to_human"], "\(tools)")
        #expect((tools.first?["result"] as? [String: Any])?["first_name"] as? String == "Ada")
        let statuses = ((call["events"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }
        #expect(statuses == ["ringing", "completed"], "\(statuses)")

        // The text went through the messaging engine to the caller.
        let messages = try await host.call("GET", "/api/v1/messages?limit=5", token: token)
        #expect(messages.body.contains("12 Harbour Street"), "\(messages.body)")
        // The agent's message after the interruption builds on what was heard, not on words never spoken.
        let status = try await host.call("GET", "/voice/status")
        #expect(status.status == 200 && status.body.contains("\"sessions\""), "\(status.body)")
    }
}
