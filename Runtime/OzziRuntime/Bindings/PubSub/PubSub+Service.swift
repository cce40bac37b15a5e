extension PubSub: Service, CustomStringConvertible {
    public var description: String { "live streams" }

    /// Ends every subscription when asked to stop. Listed just after the HTTP server, so it stops first:
    /// live streams (SSE, WebSocket fan-out) then finish their responses and their connections close,
    /// instead of holding the server's drain to the deadline.
    public func run() async {
        try? await gracefulShutdown()
        finishAll()
    }
}
