/// What the HTTP server hands every complete request to (the host's dispatcher, or a test's).
public protocol HTTPRequestHandler: Sendable {
    /// Answers one request; never throws — errors are already turned into responses.
    func handle(_ request: Request, on loop: EventLoop) async -> HandledResponse
    /// Called once per finished response, for the access log, when `wantsAccessRecords`.
    func didRespond(_ record: AccessRecord)
    /// False skips building access records altogether (they cost string copies on every request).
    var wantsAccessRecords: Bool { get }
    /// For a request with a body: the byte limit if its route takes the body streamed, nil to buffer it
    /// (up to `max_body_bytes`). Asked on the loop as soon as the head is read, so it must not block.
    func streamedBodyLimit(method: String, target: String, headers: HTTPHeaders) -> Int?
}

extension HTTPRequestHandler {
    public func streamedBodyLimit(method: String, target: String, headers: HTTPHeaders) -> Int? { nil }
}

/// A response and the worker that produced it.
public struct HandledResponse: Sendable {
    public var response: Response
    public var worker: String?

    public init(_ response: Response, worker: String? = nil) {
        self.response = response
        self.worker = worker
    }
}

/// One line of the access log.
public struct AccessRecord: Sendable {
    public var method: String
    public var path: String
    public var status: Int
    public var bytes: Int
    public var durationMicros: UInt64
    public var worker: String?
    public var requestID: String
    public var remoteAddress: String
}
