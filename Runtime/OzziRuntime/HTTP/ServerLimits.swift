/// Per-connection limits; every one has a safe default and can be set in `[server.limits]`.
public struct ServerLimits: Sendable, Equatable {
    /// Request line plus header fields (431 beyond).
    public var maxHeaderBytes = 16 * 1024
    /// Request body (413 beyond).
    public var maxBodyBytes = 10 * 1024 * 1024
    /// From a request's first byte to the end of its head; a slowloris client is cut off with 408.
    public var headerTimeoutMs: UInt64 = 10_000
    /// Longest pause between body bytes (408).
    public var bodyTimeoutMs: UInt64 = 30_000
    /// An idle keep-alive connection is closed after this.
    public var idleTimeoutMs: UInt64 = 60_000
    /// Open connections across all loops; beyond, new ones get 503 and are closed.
    public var maxConnections = 10_000
    /// Unsent response bytes the host holds across all connections; beyond, connections with output
    /// still queued read no new requests (and streaming writers wait) until their clients catch up.
    public var maxBufferedOutputBytes = 128 * 1024 * 1024
    /// Largest WebSocket message (close 1009 beyond).
    public var maxWebSocketMessageBytes = 1024 * 1024
    /// Time shutdown gives in-flight work (requests, then cron runs, queue batches, workers' services) to
    /// finish, counted from the signal; what still runs then is cancelled.
    public var shutdownDeadlineMs: UInt64 = 10_000
    /// Default whole-transfer timeout of a worker's outbound HTTP call.
    public var outboundTimeoutMs = 15_000
    /// Largest outbound response body a worker accepts.
    public var outboundMaxResponseBytes = 10 * 1024 * 1024

    public init() {}
}
