import Logging

/// Per-request facts a handler needs besides the request: path parameters, its loop, a logger.
public struct RequestContext: Sendable {
    public let requestID: String
    public let worker: String
    /// The loop this request's connection lives on; blocking work goes through `runBlocking`.
    public let loop: EventLoop
    private let baseLogger: Logger
    /// The worker's logger with this request's id; built on first use, as most requests never log.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "request_id"] = "\(requestID)"
        return logger
    }
    /// Path parameters of the matched route (`:id` -> "id", a trailing `*` -> "*").
    public var parameters: [String: String] = [:]

    public init(requestID: String, worker: String, loop: EventLoop, logger: Logger) {
        self.requestID = requestID
        self.worker = worker
        self.loop = loop
        self.baseLogger = logger
    }

    /// A path parameter's value; a missing one is a programming error in the route table.
    public func parameter(_ name: String) -> String {
        guard let value = parameters[name] else { preconditionFailure("route has no parameter ':\(name)'") }
        return value
    }

    /// Runs blocking work on the blocking pool and resumes here when it is done.
    public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingPool.shared.run(body)
    }
}
