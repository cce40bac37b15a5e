import Foundation
import Logging
import OzziRuntime

/// A call on the simulated provider, played against this worker's own routes exactly as Twilio plays a
/// real one: status callbacks (initiated, ringing, in-progress), the signed incoming webhook, the
/// ConversationRelay session (setup, then the script's lines as prompts, each waiting for the agent's
/// whole answer), the Connect action, the completed callback with the call's duration, and the recording's
/// callback when the TwiML started one (its audio spoken by espeak-ng from what was said). Every request
/// is signed with the simulated account's token and checked by the api like any other.
struct SimulatedCall: Sendable {
    let voice: VoiceAgent
    let callSid: String
    let accountSid: String
    let authToken: String
    let from: String
    let to: String
    /// Twilio's Direction: `outbound-api` (the number calls `to`) or `inbound` (`from` calls the number).
    let direction: String
    let script: [String]
    /// Where this worker is mounted, as the api gave Twilio: its host and path (`/voice`).
    let host: String
    let mount: String

    static let defaultScript = ["Hello?", "What are your opening hours?", "Thank you, goodbye"]

    init(_ request: Request, voice: VoiceAgent) throws {
        let body = try JSONValue(jsonBytes: request.body)
        guard let sid = body["call_sid"]?.stringValue, let account = body["account_sid"]?.stringValue, let token = body["auth_token"]?.stringValue,
              let from = body["from"]?.stringValue, let to = body["to"]?.stringValue else {
            throw VoiceError(status: 422, code: "invalid_simulation", message: "a simulation needs call_sid, account_sid, auth_token, from and to")
        }
        self.voice = voice
        callSid = sid
        accountSid = account
        authToken = token
        self.from = from
        self.to = to
        direction = body["direction"]?.stringValue == "inbound" ? "inbound" : "outbound-api"
        guard let voiceURL = body["voice_url"]?.stringValue, let schemeEnd = voiceURL.range(of: "://") else {
            throw VoiceError(status: 422, code: "invalid_simulation", message: "a simulation needs voice_url")
        }
        let rest = voiceURL[schemeEnd.upperBound...]
        host = String(rest.prefix { $0 != "/" })
        mount = String(rest.dropFirst(host.count))
        let lines = (body["script"]?.arrayValue ?? []).compactMap(\.stringValue)
        script = lines.isEmpty ? Self.defaultScript : lines
    }

    func play(context: RequestContext) async {
        let started = voice.clock.milliseconds
        var sequence = 0
        func status(_ value: String, duration: Int? = nil) async {
            var fields = base + [("CallStatus", value), ("SequenceNumber", "\(sequence)")]
            if let duration { fields.append(("CallDuration", "\(duration)")) }
            sequence += 1
            _ = await post("/status-callback", fields, context: context)
        }
        await status("initiated")
        await status("ringing")
        let answer = await post("/incoming", base + [("CallStatus", "in-progress")], context: context)
        await status("in-progress")
        guard let twiml = answer, let relayURL = Self.attribute("url", of: "ConversationRelay", in: twiml),
              let callID = Self.attribute("value", of: "Parameter", in: twiml) else {
            voice.logger.warning("the simulated call was not connected", metadata: ["call_sid": "\(callSid)", "answer": "\(answer ?? "none")"])
            await status("completed", duration: 1)
            return
        }
        let signature = TwilioSignature.sign(url: relayURL, parameters: [], authToken: authToken)
        var handoff: String?
        // What a recording of the call would hold: the callee's lines and the agent's answers, in order.
        var spoken = [Self.attribute("welcomeGreeting", of: "ConversationRelay", in: twiml)].compactMap { $0 }
        var agentSpeaking = false
        if case .session(let session) = await voice.openRelay(callID: callID, url: relayURL, signature: signature) {
            let relay = SimulatedRelay()
            let serving = Task { await session.attach(relay) }
            relay.say(["type": "setup", "callSid": .string(callSid), "accountSid": .string(accountSid), "from": .string(from), "to": .string(to),
                       "direction": .string(direction), "customParameters": ["callId": .string(callID)]])
            var replies = relay.replies.makeAsyncIterator()
            lines: for line in script {
                relay.say(["type": "prompt", "voicePrompt": .string(line), "lang": "en-US", "last": true])
                spoken.append(line)
                agentSpeaking = false
                while let reply = await replies.next(), let frame = try? JSONValue(jsonBytes: Array(reply.utf8)) {
                    if frame["type"]?.stringValue == "text", let token = frame["token"]?.stringValue, !token.isEmpty {
                        if !agentSpeaking { spoken.append("") }
                        agentSpeaking = true
                        spoken[spoken.count - 1] += token
                    }
                    if frame["type"]?.stringValue == "end" {
                        handoff = frame["handoffData"]?.stringValue
                        break lines
                    }
                    if frame["type"]?.stringValue == "text", frame["last"]?.boolValue == true {
                        // The agent is ending the call after these words: its `end` comes next.
                        if await session.isClosing { continue }
                        break
                    }
                }
            }
            relay.hangUp()
            await serving.value
        }
        let seconds = Int(max(1, (voice.clock.milliseconds - started + 999) / 1_000))
        var action = base + [("CallStatus", handoff == nil ? "completed" : "in-progress"), ("SessionStatus", handoff == nil ? "completed" : "ended"),
                             ("SessionDuration", "\(seconds)")]
        if let handoff { action.append(("HandoffData", handoff)) }
        _ = await post("/action", action, context: context)
        await status("completed", duration: seconds)
        if Self.attribute("recordingStatusCallback", of: "Recording", in: twiml) != nil {
            await record(spoken.joined(separator: "\n"), context: context)
        }
    }

    /// Twilio's recording status callback for the call, as `<Start><Recording>` asked: the audio kept for
    /// the api to fetch, or `absent` when nothing was said, or `failed` when it could not be made.
    private func record(_ text: String, context: RequestContext) async {
        let sid = "RE" + callSid.dropFirst(2)
        var fields = [("AccountSid", accountSid), ("CallSid", callSid), ("RecordingSid", sid), ("RecordingSource", "StartCallRecordingTwiML"),
                      ("RecordingUrl", "http://\(host)\(mount)/recordings/\(sid)"), ("RecordingChannels", "2")]
        do {
            if let recording = try await SpokenRecording.speak(text, commands: voice.commands) {
                await voice.recordings.keep(recording, sid: sid)
                fields += [("RecordingStatus", "completed"), ("RecordingDuration", "\(recording.durationSeconds)")]
            } else {
                fields += [("RecordingStatus", "absent"), ("RecordingDuration", "0")]
            }
        } catch {
            voice.logger.warning("the simulated call's recording could not be made", metadata: ["call_sid": "\(callSid)", "error": "\(error)"])
            fields += [("RecordingStatus", "failed"), ("ErrorCode", "0")]
        }
        _ = await post("/recording-status", fields, context: context)
    }

    private var base: [(String, String)] {
        [("CallSid", callSid), ("AccountSid", accountSid), ("From", from), ("To", to), ("Direction", direction)]
    }

    /// A signed form POST to one of this worker's routes, through its router; the answer's body, or nil.
    private func post(_ path: String, _ fields: [(String, String)], context: RequestContext) async -> String? {
        var request = Request(method: "POST", target: mount + path,
                              headers: ["host": host, "content-type": "application/x-www-form-urlencoded"],
                              body: Array(FormEncoding.encode(fields).utf8))
        request.path = path
        request.headers.add("x-twilio-signature", TwilioSignature.sign(url: voice.config.url(of: request), parameters: fields, authToken: authToken))
        do {
            let response = try await voice.handle(request, context: context)
            guard (200..<300).contains(response.status) else {
                voice.logger.warning("a simulated Twilio request was refused", metadata: ["path": "\(path)", "status": "\(response.status)",
                                                                                   "answer": "\(String(decoding: response.bodyBytes.prefix(300), as: UTF8.self))"])
                return nil
            }
            return String(decoding: response.bodyBytes, as: UTF8.self)
        } catch {
            voice.logger.warning("a simulated Twilio request failed", metadata: ["path": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    /// An attribute of the first `element` in TwiML we wrote ourselves (attributes in double quotes, escaped).
    static func attribute(_ name: String, of element: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<" + element + " ") else { return nil }
        let tag = xml[start.upperBound...].prefix { $0 != ">" }
        guard let value = tag.range(of: " " + name + "=\"") ?? (tag.hasPrefix(name + "=\"") ? tag.range(of: name + "=\"") : nil) else { return nil }
        return String(tag[value.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
