import CLibUV
import Logging

/// Routes each request to its worker by the host's route table and turns every outcome into a response:
/// a worker's `HTTPError` becomes its JSON error, anything else a logged 500 carrying the request id.
final class HostDispatcher: HTTPRequestHandler {
    let routes: RouteTable
    /// Each worker with its logger, labelled once rather than per request; one lookup per request.
    let targets: [String: (worker: any Worker, logger: Logger)]
    let logger: Logger
    /// Nil when `access_log = false`: no access record is even built.
    let accessLog: AccessLogWriter?
    let health: HealthReport
    /// Set in `ozzi dev`: `/__scheduled?cron=...` fires cron triggers by hand.
    let scheduler: CronScheduler?
    let operators: OperatorEndpoints
    let requests: RequestMetrics

    init(routes: RouteTable, workers: [String: any Worker], logger: Logger, accessLog: AccessLogWriter?, health: HealthReport,
         scheduler: CronScheduler?, operators: OperatorEndpoints, requests: RequestMetrics) {
        self.scheduler = scheduler
        self.operators = operators
        self.requests = requests
        self.routes = routes
        self.logger = logger
        var targets: [String: (worker: any Worker, logger: Logger)] = [:]
        for (name, worker) in workers { targets[name] = (worker, logger.with(worker: name)) }
        self.targets = targets
        self.accessLog = accessLog
        self.health = health
    }

    /// Answers, then counts the answer in the request metrics under the route the worker's router matched.
    func handle(_ request: Request, on loop: EventLoop) async -> HandledResponse {
        let started = uv_hrtime()
        let route = MatchedRoute()
        let handled = await MatchedRoute.$current.withValue(route) { await answer(request, on: loop) }
        let reported = route.reported
            ?? (handled.worker == nil && (request.path == HealthReport.path || operators.serves(request.path)) ? (request.method, request.path) : nil)
        requests.record(worker: handled.worker ?? RequestMetrics.host, route: reported, requestMethod: request.method,
                        status: handled.response.status, nanoseconds: uv_hrtime() - started)
        return handled
    }

    private func answer(_ request: Request, on loop: EventLoop) async -> HandledResponse {
        if operators.serves(request.path) {
            return HandledResponse(await operators.respond(to: request))
        }
        if request.path == HealthReport.path {
            guard request.method == "GET" || request.method == "HEAD" else {
                return HandledResponse(MethodNotAllowed(method: request.method, path: request.path, allowed: ["GET", "HEAD"]).response)
            }
            let snapshot = await health.snapshot()
            return HandledResponse(.json(snapshot, status: snapshot.status == "ok" ? 200 : 503))
        }
        if let scheduler, request.path == "/__scheduled" {
            return HandledResponse(await runScheduled(request, scheduler: scheduler, loop: loop))
        }
        guard let (name, target, workerPath) = route(host: request.host, path: request.path) else {
            return HandledResponse(NoWorkerRouted(host: request.host, path: request.path).response)
        }
        let context = RequestContext(requestID: request.id, worker: name, loop: loop, logger: target.logger)
        var routed = request
        routed.path = workerPath
        return await WorkerInvocation.fetch(target.worker, routed, context: context)
    }

    /// The worker a host and path are routed to, and the path it sees (below its mount point).
    private func route(host: @autoclosure () -> String?, path: String) -> (name: String, target: (worker: any Worker, logger: Logger), path: String)? {
        guard let entry = routes.match(host: host(), path: path), let target = targets[entry.worker] else { return nil }
        return (entry.worker, target, entry.pattern.stripPrefix ? entry.pattern.workerPath(for: path) : path)
    }

    /// Fires the triggers that use `?cron=` (optionally only `&worker=`'s), as `wrangler dev` does.
    private func runScheduled(_ request: Request, scheduler: CronScheduler, loop: EventLoop) async -> Response {
        guard let cron = request.queryParameter("cron") else {
            return ClientError.badRequest("pass the cron expression to fire as ?cron=", field: "cron").response
        }
        let jobs = scheduler.jobs(cron: cron, worker: request.queryParameter("worker"))
        guard !jobs.isEmpty else { return ClientError.notFound("no worker has the cron trigger '\(cron)'").response }
        let minute = SystemClock().seconds / 60 * 60
        var ran: [JSONValue] = []
        for job in jobs {
            let outcome = await scheduler.run(job, minute: minute, loop: loop)
            ran.append(.object([
                "worker": .string(job.worker), "cron": .string(cron),
                "outcome": .string(outcome == nil ? "skipped" : outcome == true ? "ok" : "failed"),
            ]))
        }
        return .json(JSONValue.object(["ran": .array(ran)]))
    }

    /// Asks the worker the request is routed to, with the path it will see.
    func streamedBodyLimit(method: String, target: String, headers: HTTPHeaders) -> Int? {
        guard let (_, routed, path) = route(host: Request.host(target: target, headers: headers), path: Request.split(target: target).path) else { return nil }
        return routed.worker.streamedBodyLimit(method: method, path: path)
    }

    var wantsAccessRecords: Bool { accessLog != nil || operators.tail.isWatched }

    func didRespond(_ record: AccessRecord) {
        accessLog?.record(record)
        if let worker = record.worker { operators.tail.publish(worker: worker) { TailLine.request(record) } }
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
