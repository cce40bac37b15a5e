import OzziRuntime

/// The voice-agent worker's settings (its `[workers.vars]`), and the URLs of a request as Twilio sees them.
struct VoiceConfig: Sendable {
    /// `PUBLIC_URL`: the origin Twilio calls (`https://voice.example.com`), when the host sits behind a proxy;
    /// otherwise the request's own `Host`, over http.
    let publicOrigin: String?
    /// `TOOL_TIMEOUT_MS` (5000): how long a tool may take before the model is told it failed.
    let toolTimeout: Duration
    /// The model for one call: the OpenAI-compatible client (`AGENT_MODEL = "openai"`, with `LLM_BASE_URL`,
    /// `LLM_MODEL` and the `LLM_API_KEY` secret) or the offline agent (the default), which speaks one word
    /// every `AGENT_TOKEN_MS` (0).
    let model: @Sendable (VoiceCallSettings) -> any LanguageModel
    /// What reviews a call once it has ended, by the same `AGENT_MODEL`: the same client, or the model
    /// `REVIEW_MODEL` names on the same server; or the offline reviewer.
    let reviewer: any CallReviewer

    init(env: WorkerEnv) throws {
        publicOrigin = env.vars["PUBLIC_URL"].map(BaseURL.withoutTrailingSlashes)
        toolTimeout = .milliseconds(Int(env.vars["TOOL_TIMEOUT_MS"] ?? "") ?? 5_000)
        switch env.vars["AGENT_MODEL"] ?? "offline" {
        case "offline":
            let pace = Duration.milliseconds(Int(env.vars["AGENT_TOKEN_MS"] ?? "") ?? 0)
            model = { OfflineAgent(knowledge: $0.knowledge, systemPrompt: $0.systemPrompt, tokenDelay: pace) }
            guard env.vars["REVIEW_MODEL"] == nil else { throw VoiceConfigError(message: "REVIEW_MODEL needs AGENT_MODEL = \"openai\"") }
            reviewer = OfflineReviewer()
        case "openai":
            guard let base = env.vars["LLM_BASE_URL"], let name = env.vars["LLM_MODEL"] else {
                throw VoiceConfigError(message: "AGENT_MODEL = \"openai\" needs LLM_BASE_URL and LLM_MODEL")
            }
            let key = try env.secret("LLM_API_KEY")
            let timeout = Int(env.vars["LLM_TIMEOUT_MS"] ?? "") ?? 30_000
            let client = { (name: String) in
                OpenAIChatModel(baseURL: BaseURL.withoutTrailingSlashes(base), model: name, apiKey: key, outbound: env.outbound,
                                timeoutMilliseconds: timeout)
            }
            let agent = client(name)
            model = { _ in agent }
            reviewer = ModelReviewer(model: client(env.vars["REVIEW_MODEL"] ?? name))
        case let other:
            throw VoiceConfigError(message: "AGENT_MODEL must be offline or openai, not \(other)")
        }
    }

    /// The URL Twilio called for `request` (what it signed).
    func url(of request: Request) -> String {
        origin(of: request) + request.target
    }

    /// The same for a WebSocket upgrade: ws(s) instead of http(s).
    func socketURL(of request: Request) -> String {
        Self.socketScheme(origin(of: request)) + request.target
    }

    /// `path` below where this worker is mounted (`/voice`), as an absolute URL.
    func url(_ path: String, for request: Request, socket: Bool = false) -> String {
        let target = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let mount = target.hasSuffix(request.path) ? String(target.dropLast(request.path.count)) : ""
        let origin = origin(of: request)
        return (socket ? Self.socketScheme(origin) : origin) + mount + path
    }

    private func origin(of request: Request) -> String {
        publicOrigin ?? "http://" + (request.headers["host"] ?? "localhost")
    }

    private static func socketScheme(_ origin: String) -> String {
        origin.hasPrefix("https://") ? "wss://" + origin.dropFirst(8) : origin.hasPrefix("http://") ? "ws://" + origin.dropFirst(7) : origin
    }
}

struct VoiceConfigError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
