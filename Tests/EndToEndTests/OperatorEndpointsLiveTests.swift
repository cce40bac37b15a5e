import Foundation
import OzziTestSupport
import Testing

/// `/__ozzi/metrics` read by Prometheus's own parser, and `ozzi tail` against a running `ozzi serve`.
@Suite struct OperatorEndpointsLiveTests {
    static let token = "ops-token-for-tests"

    /// `ozzi serve` on the repository's configuration, with the ops token in its environment as an
    /// operator sets it.
    func serve() throws -> OzziProcess {
        let data = NSTemporaryDirectory() + "ozzi-ops-\(UUID().uuidString)"
        return try OzziProcess(
            ["OZZI_OPS_TOKEN=\(Self.token)", OzziProcess.binary("ozzi"), "serve", "--config", OzziProcess.repositoryRoot + "/wrangler-like.toml",
             "--port", "0", "--loops", "1", "--data-dir", data],
            path: "/usr/bin/env")
    }

    func scrape(_ port: Int) async throws -> (types: [String: String], samples: [String: Double]) {
        // The python3 scripts/setup.sh installs prometheus-client for (the one on PATH, as for schemathesis).
        let output = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("metrics_scrape.py"), String(port), Self.token])
        try #require(output.status == 0, "metrics_scrape.py: \(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["content_type"] as? String == "text/plain; version=0.0.4; charset=utf-8")
        return (json["types"] as? [String: String] ?? [:], (json["samples"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue })
    }

    @Test func metricsParseAndCountTheRequestsMade() async throws {
        let ozzi = try serve()
        defer { ozzi.process.signal(SIGKILL) }
        let port = try await ozzi.listeningPort()
        let before = try await scrape(port)
        #expect(before.types["ozzi_http_requests"] == "counter", "the parser names a counter family without _total")
        #expect(before.types["ozzi_http_request_duration_seconds"] == "histogram")
        #expect(before.types["ozzi_open_connections"] == "gauge")
        #expect(before.types["ozzi_queue_depth"] == "gauge")
        #expect(before.types["ozzi_backend_pool_connections"] == "gauge")
        #expect(before.samples["ozzi_queue_depth{queue=api-delivery}"] == 0)

        for _ in 0..<3 { #expect(try await HTTPGet.get(port: port, path: "/api/v1/status").status == 200) }
        #expect(try await HTTPGet.get(port: port, path: "/widget/status").status == 200)
        #expect(try await HTTPGet.get(port: port, path: "/api/v1/no-such-thing").status == 404)
        let after = try await scrape(port)

        let status = "ozzi_http_requests_total{method=GET,route=/api/v1/status,status=2xx,worker=api}"
        #expect((after.samples[status] ?? 0) - (before.samples[status] ?? 0) == 3, "\(after.samples.keys.sorted())")
        #expect(after.samples["ozzi_http_request_duration_seconds_count{method=GET,route=/api/v1/status,worker=api}"] == after.samples[status])
        #expect(after.samples["ozzi_http_requests_total{method=GET,route=/status,status=2xx,worker=widget}"] == 1)
        #expect(after.samples["ozzi_http_requests_total{method=GET,route=(unmatched),status=4xx,worker=api}"] == 1)
        let scrapes = "ozzi_http_requests_total{method=GET,route=/__ozzi/metrics,status=2xx,worker=(host)}"
        #expect(after.samples[scrapes] == 1, "the first scrape is counted once the second one reads")
        #expect(after.samples["ozzi_open_connections{}"] ?? 0 >= 1, "the scrape's own connection")

        let refused = try await Subprocess.curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer wrong",
                                                 "http://127.0.0.1:\(port)/__ozzi/metrics"])
        #expect(refused.stdout == "401")
    }

    @Test func tailShowsOneWorkersRequestsAsTheyHappen() async throws {
        let ozzi = try serve()
        defer { ozzi.process.signal(SIGKILL) }
        let port = try await ozzi.listeningPort()
        let tail = try OzziProcess(["tail", "api", "--url", "http://127.0.0.1:\(port)", "--token", Self.token, "--format", "json"])
        defer { tail.process.signal(SIGKILL) }
        _ = try await tail.waitFor(#""type":"connected""#)

        #expect(try await HTTPGet.get(port: port, path: "/widget/status").status == 200)
        #expect(try await HTTPGet.get(port: port, path: "/api/v1/status").status == 200)
        #expect(try await HTTPGet.get(port: port, path: "/api/v1/no-such-thing").status == 404)
        _ = try await tail.waitFor(#""path":"/api/v1/no-such-thing""#)

        let lines = tail.log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let requests = lines.filter { $0["type"] as? String == "request" }
        #expect(requests.map { $0["path"] as? String ?? "" } == ["/api/v1/status", "/api/v1/no-such-thing"], "\(tail.log)")
        #expect(requests.map { ($0["status"] as? NSNumber)?.intValue ?? 0 } == [200, 404])
        #expect(requests.allSatisfy { $0["worker"] as? String == "api" }, "another worker's lines are not shown")

        // The host's shutdown ends the stream, and the tail with it.
        kill(ozzi.process.pid, SIGTERM)
        #expect(try await tail.waitForExit() == 0)
        #expect(tail.log.contains("the host ended the stream"))
    }
}
