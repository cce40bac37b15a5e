import OzziRuntime

/// `/api/v1/stream`: a workspace's events as they happen (Server-Sent Events, resumable by `Last-Event-ID`).
struct LiveDomain: APIDomain {
    let events: WorkspaceEvents
    let streamHeartbeatSeconds: Int

    init(_ api: APIEnvironment) {
        events = api.events
        streamHeartbeatSeconds = Int(api.env.var("STREAM_HEARTBEAT_SECONDS", default: "15")) ?? 15
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/stream").addStreamRoutes(self)
    }

    /// Hands on events a crash left unflushed and drops day-old ones.
    func maintain() async throws {
        try await events.sweep()
    }
}
