import Logging
import OzziRuntime

/// Twilio voice answered by an AI agent: `POST /incoming` answers a call with TwiML that connects it to
/// `GET /ws/:callId`, the ConversationRelay WebSocket where Twilio sends what the caller says as text and
/// speaks what the agent streams back; `POST /action` and `POST /status-callback` follow the call; `GET
/// /status` counts live calls. It owns no business data and no credentials: numbers, calls, transcripts and
/// Twilio's auth tokens are the api's, reached through the `API` service binding.
public struct VoiceAgentWorker: RoutedWorker {
    public static let module = "voice-agent"
    public let router: Router

    public init(env: WorkerEnv) throws {
        let voice = VoiceAgent(config: try VoiceConfig(env: env), directory: VoiceDirectory(api: try env.service("API")),
                               sessions: RelaySessions(clock: env.clock), clock: env.clock, logger: env.logger)
        var router = Router()
        router.get("/status") { _, _ in
            let (live, kept) = await voice.sessions.counts()
            return .json(["worker": .string(env.name), "module": .string(Self.module), "status": "ok",
                          "live_calls": .number(Double(live)), "sessions": .number(Double(kept))] as JSONValue)
        }
        router.addVoiceWebhookRoutes(voice)
        router.addRelaySocketRoute(voice)
        self.router = router
    }
}

/// What the worker's routes share.
struct VoiceAgent: Sendable {
    let config: VoiceConfig
    let directory: VoiceDirectory
    let sessions: RelaySessions
    let clock: any WallClock
    let logger: Logger
}
