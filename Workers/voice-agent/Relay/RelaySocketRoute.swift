import OzziRuntime

/// `GET /ws/:callId`: the ConversationRelay WebSocket. The upgrade carries Twilio's signature over the
/// socket's URL — or, from the console's voice lab, a `ticket` in the query (a browser cannot send the
/// header); the api checks it and answers the call, its settings and the transcript so far (a
/// reconnect on another host). Messages are small JSON: anything over 64 KB closes the socket (1009), and
/// Twilio's reconnect finds the session as it was.
extension Router {
    mutating func addRelaySocketRoute(_ voice: VoiceAgent) {
        get("/ws/:callId") { request, context in
            switch await voice.openRelay(callID: context.parameter("callId"), url: voice.config.socketURL(of: request),
                                         signature: request.headers["x-twilio-signature"], ticket: request.queryParameter("ticket")) {
            case .refused(let answer):
                return answer
            case .session(let session):
                return .webSocket(maxMessageBytes: 64 * 1024) { socket in await session.attach(SocketRelay(socket: socket)) }
            }
        }
    }
}
