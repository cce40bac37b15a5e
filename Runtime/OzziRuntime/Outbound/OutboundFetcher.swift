/// A worker's outbound HTTP: deny by default, allowed origins from `allowed_outbound_hosts`, sent through
/// the calling loop's libcurl multi handle (connections are reused per loop).
public struct OutboundFetcher: Sendable {
    let worker: String
    let allowed: [OutboundHostPattern]
    let defaultTimeoutMilliseconds: Int
    let maxResponseBytes: Int
    let directory: WorkerDirectory?

    public init(worker: String, allowed: [OutboundHostPattern], defaultTimeoutMilliseconds: Int = 15_000,
                maxResponseBytes: Int = 10 * 1024 * 1024) {
        self.init(worker: worker, allowed: allowed, defaultTimeoutMilliseconds: defaultTimeoutMilliseconds,
                  maxResponseBytes: maxResponseBytes, directory: nil)
    }

    init(worker: String, allowed: [OutboundHostPattern], defaultTimeoutMilliseconds: Int, maxResponseBytes: Int, directory: WorkerDirectory?) {
        self.worker = worker
        self.allowed = allowed
        self.defaultTimeoutMilliseconds = defaultTimeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
        self.directory = directory
    }

    /// Whether `url` may be called (a denied call throws `OutboundError.denied`).
    public func permits(_ url: String) -> Bool {
        guard let parsed = OutboundURL(url) else { return false }
        return allowed.contains { $0.allows(parsed) }
    }

    public func fetch(_ request: OutboundRequest) async throws -> OutboundResponse {
        let (loop, timeout, limit) = try prepare(request)
        return try await withCheckedThrowingContinuation { continuation in
            loop.perform {
                loop.curl(publicOnly: request.publicAddressesOnly).start(request, timeoutMilliseconds: timeout, maxResponseBytes: limit) { continuation.resume(with: $0) }
            }
        }
    }

    /// The loop a request runs on, its timeout and the response limit, once the URL is allowed.
    func prepare(_ request: OutboundRequest) throws -> (loop: EventLoop, timeoutMilliseconds: Int, maxResponseBytes: Int) {
        guard let url = OutboundURL(request.url) else { throw OutboundError.invalidURL(request.url) }
        guard allowed.contains(where: { $0.allows(url) }) else { throw OutboundError.denied(worker: worker, origin: url.origin) }
        guard let loop = EventLoop.current ?? directory?.anyLoop else {
            throw OutboundError.transport(url: request.url, code: -1, message: "no event loop is running", requestSent: false)
        }
        return (loop, request.timeoutMilliseconds ?? defaultTimeoutMilliseconds, request.maxResponseBytes ?? maxResponseBytes)
    }
}
