import Logging

/// Routes each request to its worker by the host's route table and turns every outcome into a response:
/// a worker's `HTTPError` becomes its JSON error, anything else a logged 500 carrying the request id.
final class HostDispatcher: HTTPRequestHandler {
    let routes: RouteTable
    let workers: [String: any Worker]
    let logger: Logger
    let accessLog: Bool
    let health: HealthReport
    /// One logger per worker, labelled once rather than per request.
    let workerLoggers: [String: Logger]

    init(routes: RouteTable, workers: [String: any Worker], logger: Logger, accessLog: Bool, health: HealthReport) {
        self.routes = routes
        self.workers = workers
        self.logger = logger
        var loggers: [String: Logger] = [:]
        for name in workers.keys {
            var workerLogger = logger
            workerLogger[metadataKey: "worker"] = "\(name)"
            loggers[name] = workerLogger
        }
        workerLoggers = loggers
        self.accessLog = accessLog
        self.health = health
    }

    func handle(_ request: Request, on loop: EventLoop) async -> HandledResponse {
        if request.path == HealthReport.path {
            return HandledResponse(request.method == "GET" || request.method == "HEAD"
                ? .json(health.snapshot())
                : MethodNotAllowed(method: request.method, path: request.path, allowed: ["GET", "HEAD"]).response)
        }
        guard let entry = routes.match(host: request.host, path: request.path), let worker = workers[entry.worker] else {
            return HandledResponse(NoWorkerRouted(host: request.host, path: request.path).response)
        }
        let context = RequestContext(requestID: request.id, worker: entry.worker, loop: loop, logger: workerLoggers[entry.worker] ?? logger)
        do {
            let response: Response
            if entry.pattern.stripPrefix {
                var routed = request
                routed.path = entry.pattern.workerPath(for: request.path)
                response = try await worker.fetch(routed, context: context)
            } else {
                response = try await worker.fetch(request, context: context)
            }
            return HandledResponse(response, worker: entry.worker)
        } catch let error as HTTPError {
            return HandledResponse(error.response, worker: entry.worker)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.path)"])
            let failure = ClientError(
                status: 500, code: "internal_error",
                message: "the request failed; quote request id \(request.id) when reporting it")
            return HandledResponse(failure.response, worker: entry.worker)
        }
    }

    var wantsAccessRecords: Bool { accessLog }

    func didRespond(_ record: AccessRecord) {
        logger.info("request", metadata: [
            "method": "\(record.method)",
            "path": "\(record.path)",
            "status": "\(record.status)",
            "bytes": "\(record.bytes)",
            "duration_ms": "\(Double(record.durationMicros) / 1000)",
            "worker": "\(record.worker ?? "-")",
            "request_id": "\(record.requestID)",
            "remote": "\(record.remoteAddress)",
        ])
    }
}

/// No route pattern covers the request.
struct NoWorkerRouted: HTTPError {
    let host: String?
    let path: String
    var status: Int { 404 }
    var code: String { "not_found" }
    var message: String { "no worker is routed for \(host ?? "")\(path)" }
}
