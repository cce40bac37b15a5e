/// The host's endpoints for operators: `GET /__ozzi/metrics` (Prometheus text) and
/// `GET /__ozzi/tail?worker=NAME` (a worker's live log lines as NDJSON, for `ozzi tail`).
///
/// Both show what any worker does, so both need `[server] ops_token` (or `OZZI_OPS_TOKEN`) as
/// `Authorization: Bearer TOKEN`; a missing or wrong token is 401. A host without a token answers 404, as
/// for any unrouted path: nothing is exposed by default, and a worker routed at `/*` keeps those paths.
struct OperatorEndpoints: Sendable {
    static let metricsPath = "/__ozzi/metrics"
    static let tailPath = "/__ozzi/tail"

    let token: String?
    let metrics: MetricsRegistry
    let tail: LogTail
    let workers: Set<String>
    /// How long a tail stays silent before a keep-alive line.
    var keepAlive: Duration = .seconds(15)

    /// True for the paths answered here, when a token is configured.
    func serves(_ path: String) -> Bool {
        token != nil && (path == Self.metricsPath || path == Self.tailPath)
    }

    func respond(to request: Request) async -> Response {
        guard request.method == "GET" || request.method == "HEAD" else {
            return MethodNotAllowed(method: request.method, path: request.path, allowed: ["GET", "HEAD"]).response
        }
        guard authorized(request) else {
            var response = ClientError(status: 401, code: "unauthorized", message: "send the host's ops_token as 'Authorization: Bearer TOKEN'").response
            response.headers["www-authenticate"] = "Bearer"
            return response
        }
        if request.path == Self.metricsPath {
            return .bytes(Array(await metrics.exposition().utf8), contentType: PrometheusText.contentType)
        }
        guard let worker = request.queryParameter("worker") else {
            return ClientError.badRequest("name the worker to tail as ?worker=", field: "worker").response
        }
        guard workers.contains(worker) else {
            return ClientError.notFound("this host runs no worker '\(worker)'; it runs \(workers.sorted().joined(separator: ", "))").response
        }
        return tailStream(worker: worker)
    }

    private func authorized(_ request: Request) -> Bool {
        guard let token, let header = request.headers["authorization"], header.lowercased().hasPrefix("bearer ") else { return false }
        return Crypto.constantTimeEquals(Array(header.dropFirst(7).utf8), Array(token.utf8))
    }

    /// Lines as they are logged, until the client goes or the host stops; a slow client is told how many
    /// lines it missed. A quiet worker's stream still carries a keep-alive line (every 15 s): writing it is how
    /// a client that went away is noticed and its watcher dropped.
    private func tailStream(worker: String) -> Response {
        let (lines, watcher) = tail.watch(worker: worker)
        let interval = keepAlive
        var response = Response.stream(contentType: "application/x-ndjson") { writer in
            let keepAlive = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    watcher.continuation.yield(TailLine.keepAlive())
                }
            }
            defer {
                keepAlive.cancel()
                watcher.continuation.finish()
            }
            try await writer.write(TailLine.connected(worker: worker))
            for await line in lines {
                let dropped = watcher.dropped.exchange(0, ordering: .relaxed)
                if dropped > 0 { try await writer.write(TailLine.dropped(dropped)) }
                try await writer.write(line)
            }
        }
        response.headers["cache-control"] = "no-store"
        return response
    }
}
