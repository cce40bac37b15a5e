import OzziRuntime

/// `GET /ws/:callId`: the ConversationRelay WebSocket. The upgrade carries Twilio's signature over the
/// socket's URL; the api checks it and answers the call, its settings and the transcript so far (a
/// reconnect on another host). Messages are small JSON: anything over 64 KB closes the socket (1009), and
/// Twilio's reconnect finds the session as it was.
extension Router {
    mutating func addRelaySocketRoute(_ voice: VoiceAgent) {
        get("/ws/:callId") { request, context in
            let callID = context.parameter("callId")
            let answer = try await voice.directory.session(callID: callID, url: voice.config.socketURL(of: request),
                                                           signature: request.headers["x-twilio-signature"])
            guard answer.status == 200, let found = try? JSONValue(jsonBytes: answer.bodyBytes) else { return answer }
            let session = await voice.sessions.session(callID) {
                let settings = VoiceCallSettings(json: found["settings"] ?? [:])
                let recorded = (found["turns"]?.arrayValue ?? []).map { turn in
                    RelayConversation.Turn(role: turn["role"]?.stringValue ?? "agent", text: turn["text"]?.stringValue ?? "",
                                           interrupted: turn["interrupted"]?.boolValue ?? false, tool: turn["tool"].flatMap { $0 == .null ? nil : $0 }, atMs: 0)
                }
                return RelaySession(callID: callID, settings: settings, recorded: recorded, model: voice.config.model(settings), directory: voice.directory,
                                    toolTimeout: voice.config.toolTimeout, clock: voice.clock, logger: voice.logger)
            }
            return .webSocket(maxMessageBytes: 64 * 1024) { socket in await session.attach(socket) }
        }
    }
}
