import Logging
import OzziRuntime

/// Twilio voice answered by an AI agent: `POST /incoming` answers a call with TwiML that connects it to
/// `GET /ws/:callId`, the ConversationRelay WebSocket where Twilio sends what the caller says as text and
/// speaks what the agent streams back; `POST /action` and `POST /status-callback` follow the call; `GET
/// /status` counts live calls; `POST /review` (internal, the api's) reviews a call that has ended;
/// `POST /recording-status` reports a call's recording. It owns
/// no business data and no credentials: numbers, calls, transcripts and Twilio's auth tokens are the api's,
/// reached through the `API` service binding.
public struct VoiceAgentWorker: RoutedWorker {
    public static let module = "voice-agent"
    public let router: Router

    public init(env: WorkerEnv) throws {
        let voice = VoiceAgent(config: try VoiceConfig(env: env), directory: VoiceDirectory(api: try env.service("API")),
                               sessions: RelaySessions(clock: env.clock), timings: TurnTimings(), recordings: SimulatedRecordings(),
                               commands: env.commands, clock: env.clock, logger: env.logger)
        var router = Router()
        router.get("/status") { _, _ in
            let (live, kept) = await voice.sessions.counts()
            return .json(["worker": .string(env.name), "module": .string(Self.module), "status": "ok",
                          "live_calls": .number(Double(live)), "sessions": .number(Double(kept)), "turns": voice.timings.summary] as JSONValue)
        }
        router.addVoiceWebhookRoutes(voice)
        router.addRelaySocketRoute(voice)
        router.addOutboundRoutes(voice)
        router.addBrowserDialRoute(voice)
        router.addReviewRoute(voice)
        router.addRecordingRoutes(voice)
        voice.routes.router = router
        self.router = router
    }
}

/// What the worker's routes share.
struct VoiceAgent: Sendable {
    let config: VoiceConfig
    let directory: VoiceDirectory
    let sessions: RelaySessions
    let timings: TurnTimings
    /// The simulated provider's recordings, until the api fetches them.
    let recordings: SimulatedRecordings
    /// espeak-ng, for those recordings (`allowed_commands`).
    let commands: CommandRunner
    let clock: any WallClock
    let logger: Logger
    /// The worker's own routes, for the simulated call (set once, before the first request).
    let routes = Routes()

    final class Routes: @unchecked Sendable {
        var router = Router()
    }

    /// One of this worker's own routes, in process: what the simulated provider calls as Twilio would.
    func handle(_ request: Request, context: RequestContext) async throws -> Response {
        try await routes.router.handle(request, context: context)
    }

    enum Relay {
        case session(RelaySession)
        case refused(Response)
    }

    /// The session of `callID` for a relay connection signed over `url`: the api checks the signature and
    /// answers the call; the session is the one kept for the call (a reconnect) or a new one.
    func openRelay(callID: String, url: String, signature: String?, ticket: String? = nil) async -> Relay {
        let answer: Response
        do { answer = try await directory.session(callID: callID, url: url, signature: signature, ticket: ticket) } catch {
            return .refused(VoiceError(status: 503, code: "api_unavailable", message: "the call could not be looked up: \(error)").response)
        }
        guard answer.status == 200, let found = try? JSONValue(jsonBytes: answer.bodyBytes) else { return .refused(answer) }
        return .session(await sessions.session(callID) {
            let settings = VoiceCallSettings(json: found["settings"] ?? [:], context: found["context"] ?? [:])
            let recorded = (found["turns"]?.arrayValue ?? []).map { turn in
                RelayConversation.Turn(role: turn["role"]?.stringValue ?? "agent", text: turn["text"]?.stringValue ?? "",
                                       interrupted: turn["interrupted"]?.boolValue ?? false, tool: turn["tool"].flatMap { $0 == .null ? nil : $0 }, atMs: 0)
            }
            return RelaySession(callID: callID, settings: settings, recorded: recorded, model: config.model(settings), directory: directory,
                                toolTimeout: config.toolTimeout, isLab: found["call"]?["lab"]?.boolValue == true, timings: timings, clock: clock,
                                logger: logger)
        })
    }
}
