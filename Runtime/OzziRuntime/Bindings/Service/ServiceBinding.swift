import Logging

/// A service binding: calls another worker's `fetch` in-process, with no socket. Routes a worker marks
/// `internal` answer only these calls.
public struct ServiceBinding: Sendable {
    public let service: String
    let directory: WorkerDirectory
    /// Labelled once: a logger's metadata is a dictionary, copied and rehashed by each labelling (1% of a
    /// form submission's CPU when made per call).
    private let logger: Logger

    public init(service: String, directory: WorkerDirectory) {
        self.service = service
        self.directory = directory
        logger = directory.logger.with(worker: service)
    }

    public func fetch(_ request: Request) async throws -> Response {
        guard let worker = directory.worker(service) else { throw ServiceUnavailable(service: service) }
        guard let loop = EventLoop.current ?? directory.anyLoop else { throw ServiceUnavailable(service: service) }
        var internalRequest = request
        internalRequest.isInternal = true
        return await WorkerInvocation.fetch(worker, internalRequest, context: RequestContext(
            requestID: request.id, worker: service, loop: loop, logger: logger)).response
    }
}

/// The bound worker is not running in this host.
public struct ServiceUnavailable: HTTPError {
    public let service: String
    public var status: Int { 503 }
    public var code: String { "service_unavailable" }
    public var message: String { "service '\(service)' is not running in this host" }
}
