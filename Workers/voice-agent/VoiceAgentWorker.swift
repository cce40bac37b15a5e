import OzziRuntime

/// Twilio voice: TwiML answers and the ConversationRelay WebSocket to an AI agent.
public struct VoiceAgentWorker: RoutedWorker {
    public static let module = "voice-agent"
    public let router: Router

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }
}
