import BuiltinWorkers
import Foundation
import Logging
import OzziRuntime

/// A host for testing one worker: the repository's `wrangler-like.toml` under `[env.test]`, built as
/// `ozzi serve --env test` builds it — every worker with its real bindings (SQLite, bucket, queues and their
/// consumers, pub/sub, cron) on a fresh data folder, or on PostgreSQL and Redis (`TestBackends`) — and a client that reaches it in-process or over a
/// socket (`TestMode`). Tests change the data folder, the worker's vars and secrets, and limits; never bindings.
public struct WorkerTestHost: Sendable {
    public let host: WorkerHost
    public let mode: TestMode
    /// The worker under test, whose vars and secrets the test set.
    public let worker: String
    public let dataDirectory: String
    private let port: Int

    /// The repository's configuration file.
    public static let configFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("wrangler-like.toml").path

    /// The configuration file under `[env.test]`, with `overrides`. Secrets come only from `overrides`: a
    /// developer's environment or `.dev.vars` never reaches a test.
    public static func configuration(_ overrides: ConfigOverrides = ConfigOverrides()) throws -> HostConfig {
        let text = try String(contentsOfFile: configFile, encoding: .utf8)
        var config = try ConfigLoader(file: configFile, modules: Set(BuiltinWorkers.registry.modules), environment: [:])
            .parse(text, env: "test")
        try overrides.apply(to: &config)
        return config
    }

    /// Starts a host for `worker`. `vars` and `secrets` are added to that worker's; `clock` replaces the
    /// host's (a `ManualClock` moves queue timers when the test advances it); `dataDirectory` reuses an
    /// earlier host's data (a restart); `limits` adjusts `[server.limits]` for a test that needs it; `log`
    /// receives the host's log records (otherwise dropped unless OZZI_TEST_LOG=1); `backends` puts it on
    /// given engines (hosts of one cluster), whatever `OZZI_TEST_ENGINE` says.
    public static func start(
        _ worker: String, _ mode: TestMode = .inProcess, vars: [String: String] = [:], secrets: [String: String] = [:],
        clock: any WallClock = SystemClock(), dataDirectory: String? = nil, limits: (inout ServerLimits) -> Void = { _ in },
        log: LogRecords? = nil, backends: HostConfig.Backends? = nil
    ) async throws -> WorkerTestHost {
        let directory = dataDirectory ?? NSTemporaryDirectory() + "ozzi-\(worker)-\(UUID().uuidString)"
        var overrides = ConfigOverrides(dataDirectory: directory)
        overrides.vars[worker] = vars
        overrides.secrets[worker] = secrets
        var config = try configuration(overrides)
        if let backends {
            config.server.backends = backends
        } else {
            config.server.backends = try await TestBackends.backends(dataDirectory: directory)
        }
        limits(&config.server.limits)
        // OZZI_TEST_LOG=1 shows the host's log (errors behind a 500) on stderr.
        let verbose = ProcessInfo.processInfo.environment["OZZI_TEST_LOG"] == "1"
        let logger = Logger(label: worker) { label in
            if let log { return log.handler() }
            return verbose ? StreamLogHandler.standardError(label: label) as any LogHandler : SwiftLogNoOpLogHandler()
        }
        let host = try WorkerHost(config: config, registry: BuiltinWorkers.registry, loops: config.server.loops, logger: logger, clock: clock)
        let port: Int
        switch mode {
        case .inProcess:
            try await host.startInProcess()
            port = 0
        case .live:
            port = try await host.start()
        }
        return WorkerTestHost(host: host, mode: mode, worker: worker, dataDirectory: directory, port: port)
    }

    /// The live host's origin, for clients of its own (SSE readers, WebSocket clients, raw sockets).
    public var base: String {
        precondition(mode == .live, "an in-process host has no socket; start it .live")
        return "http://127.0.0.1:\(port)"
    }

    /// Shuts the host down; `keepData` leaves its data for a restart.
    public func stop(keepData: Bool = false) async {
        await host.shutdown()
        if !keepData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    /// One request, by the host's path (`/api/v1/me`, `/widget/status`): `json` or `raw` is the body (sent as
    /// JSON unless `headers` name a Content-Type), `token` goes in `Authorization: Bearer`. `maxSeconds` cuts
    /// a response that does not end (an event stream) short, or lets a live request wait longer than curl's 120 s; `from` is the client's IP address (live: any of
    /// 127.0.0.0/8), for tests that need several clients.
    public func call(_ method: String, _ path: String, json: JSONValue? = nil, raw: String? = nil, token: String? = nil,
                     headers: [String: String] = [:], maxSeconds: Double? = nil, from: String? = nil) async throws -> TestResponse {
        var fields = headers
        if let token { fields["Authorization"] = "Bearer \(token)" }
        let body = raw ?? json.map { String(decoding: $0.jsonBytes, as: UTF8.self) }
        if body != nil, !fields.keys.contains(where: { $0.lowercased() == "content-type" }) { fields["Content-Type"] = "application/json" }
        switch mode {
        case .inProcess:
            return await callInProcess(method, path, headers: fields, body: body, maxSeconds: maxSeconds, from: from)
        case .live:
            return try await callLive(method, path, headers: fields, body: body, maxSeconds: maxSeconds, from: from)
        }
    }

    private func callInProcess(_ method: String, _ path: String, headers: [String: String], body: String?, maxSeconds: Double?,
                               from: String?) async -> TestResponse {
        var fields = HTTPHeaders(headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
        if !fields.contains("host") { fields.add("Host", "127.0.0.1") }
        let address = from ?? "127.0.0.1"
        let request = Request(method: method, target: path, headers: fields, body: Array((body ?? "").utf8),
                              remoteAddress: address.contains(":") ? "[\(address)]:40000" : "\(address):40000")
        let response = await host.respond(to: request)
        let bytes: [UInt8]
        switch response.body {
        case .bytes(let all): bytes = all
        case .stream(let produce): bytes = await ResponseBodyCollector.collect(produce, seconds: maxSeconds)
        case .webSocket: bytes = []
        }
        return TestResponse(status: response.status, fields: response.headers, body: String(decoding: bytes, as: UTF8.self), bytes: bytes)
    }

    private func callLive(_ method: String, _ path: String, headers: [String: String], body: String?, maxSeconds: Double?,
                          from: String?) async throws -> TestResponse {
        var arguments = ["-i", "-X", method]
        if let from { arguments += ["--interface", from] }
        if let maxSeconds { arguments += ["--max-time", String(maxSeconds)] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        let output = try await Subprocess.curl(arguments + [base + path], stdin: body.map { Data($0.utf8) })
        let response = TestResponse(curlOutput: output.stdout)
        // No answer (a time-out, a reset): status 0, and curl's reason as the body, for the failure message.
        if response.status == 0 { return TestResponse(status: 0, body: "curl exited \(output.status): \(output.stderr)") }
        return response
    }
}
