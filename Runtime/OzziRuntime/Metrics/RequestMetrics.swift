import Synchronization

/// `ozzi_http_requests_total` and `ozzi_http_request_duration_seconds`, by worker, method and route
/// pattern (and status class for the count).
///
/// A worker's routes get their series when the host starts, in a table that is only read afterwards, so
/// recording a request is a dictionary read and a few relaxed atomic adds. Requests no route matched share
/// one series per worker and method (`route="(unmatched)"`); methods outside the standard set count as
/// `OTHER`, so a client cannot grow the series.
final class RequestMetrics: MetricsCollector {
    final class Series: Sendable {
        let labels: [(String, String)]
        /// 1xx through 5xx.
        let statusClasses = (1...5).map { _ in MetricCounter() }
        let latency = MetricHistogram()

        init(worker: String, method: String, route: String) {
            labels = [("worker", worker), ("method", method), ("route", route)]
        }
    }

    /// Worker, then pattern, then method: looked up without building a key.
    private let known: [String: [String: [String: Series]]]
    /// Unmatched and unrouted requests, and routes a worker added after start-up.
    private let others = Mutex<[String: Series]>([:])

    static let unmatched = "(unmatched)"
    /// The worker label of requests no worker serves (a host 404, the host's own endpoints).
    static let host = "(host)"
    private static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// `routes`: each worker's registered routes (method, pattern).
    init(routes: [String: [(method: String, path: String)]]) {
        var known: [String: [String: [String: Series]]] = [:]
        for (worker, routes) in routes {
            for route in routes {
                known[worker, default: [:]][route.path, default: [:]][route.method] = Series(worker: worker, method: route.method, route: route.path)
            }
        }
        self.known = known
    }

    /// Counts one answered request. `route` is the matched route, nil when none matched.
    func record(worker: String, route: (method: String, pattern: String)?, requestMethod: String, status: Int, nanoseconds: UInt64) {
        let series = self.series(worker: worker, route: route, requestMethod: requestMethod)
        series.statusClasses[min(max(status / 100, 1), 5) - 1].increment()
        series.latency.observe(nanoseconds: nanoseconds)
    }

    private func series(worker: String, route: (method: String, pattern: String)?, requestMethod: String) -> Series {
        if let route, let found = known[worker]?[route.pattern]?[route.method] { return found }
        let named = route?.method ?? requestMethod
        let method = Self.methods.contains(named) ? named : "OTHER"
        let pattern = route?.pattern ?? Self.unmatched
        return others.withLock { others in
            let key = "\(worker)\u{0}\(method)\u{0}\(pattern)"
            if let found = others[key] { return found }
            let created = Series(worker: worker, method: method, route: pattern)
            others[key] = created
            return created
        }
    }

    func collect(into text: inout PrometheusText) async {
        let all = (known.values.flatMap { $0.values.flatMap(\.values) } + others.withLock { Array($0.values) })
            .filter { $0.statusClasses.contains { $0.value > 0 } }
            .sorted { $0.labels.map(\.1).joined(separator: "\u{0}") < $1.labels.map(\.1).joined(separator: "\u{0}") }
        text.family("ozzi_http_requests_total", .counter, help: "HTTP requests answered, by worker, method, route pattern and status class.")
        for series in all {
            for (index, counter) in series.statusClasses.enumerated() where counter.value > 0 {
                text.sample("ozzi_http_requests_total", series.labels + [("status", "\(index + 1)xx")], counter.value)
            }
        }
        text.family("ozzi_http_request_duration_seconds", .histogram,
                    help: "Time from a request's arrival at the host to its response being ready, by worker, method and route pattern.")
        for series in all {
            text.histogram("ozzi_http_request_duration_seconds", series.labels, series.latency)
        }
    }
}
