import APIWorker
import Foundation
import Logging
import OzziRuntime
import OzziTestSupport

/// A live host running the real api worker with its migrations, on an ephemeral port; and a JSON client
/// for it (curl underneath, so every call crosses a real socket).
struct APIHost {
    let host: WorkerHost
    let port: Int
    let dataDirectory: String

    /// `vars` and `secrets` are added to the api worker's; scrypt runs with a small cost so tests stay fast.
    /// `clock` replaces the host's (a `ManualClock` moves queue timers when the test advances it).
    /// `dataDirectory` reuses an earlier host's data (a restart); `limits` is TOML for `[server.limits]`.
    static func start(vars: [String: String] = [:], secrets: [String: String] = [:], clock: any WallClock = SystemClock(),
                      dataDirectory: String? = nil, limits: String = "") async throws -> APIHost {
        let directory = dataDirectory ?? NSTemporaryDirectory() + "ozzi-api-\(UUID().uuidString)"
        let text = APIWorkerConfig.toml(dataDirectory: directory, vars: vars, secrets: Array(secrets.keys), limits: limits)
        var registry = WorkerRegistry()
        registry.register(APIWorker.module, APIWorker.self)
        let config = try ConfigLoader(file: directory + ".toml", modules: ["api"], environment: secrets).parse(text)
        // OZZI_TEST_LOG=1 shows the host's log (errors behind a 500) on stderr.
        let verbose = ProcessInfo.processInfo.environment["OZZI_TEST_LOG"] == "1"
        let logger = Logger(label: "api") { verbose ? StreamLogHandler.standardError(label: $0) as any LogHandler : SwiftLogNoOpLogHandler() }
        let host = try WorkerHost(config: config, registry: registry, loops: 1, logger: logger, clock: clock)
        let port = try await host.start()
        return APIHost(host: host, port: port, dataDirectory: directory)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Shuts the host down; `keepData` leaves its data for a restart.
    func stop(keepData: Bool = false) async {
        await host.shutdown()
        if !keepData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let cookies: [String]
        let body: String

        var json: JSONValue { (try? JSONValue(jsonBytes: Array(body.utf8))) ?? .null }
        subscript(key: String) -> JSONValue? { json[key] }
        /// The `data` array of a list answer.
        var data: [JSONValue] { json["data"]?.arrayValue ?? [] }
        func string(_ path: String...) -> String? {
            var value: JSONValue? = json
            for key in path { value = value?[key] }
            return value?.stringValue
        }
    }

    /// One request: `json` is sent as the body; `token` as `Authorization: Bearer`.
    /// `maxSeconds` cuts a response that does not end (an event stream) short. `from` is the client's
    /// source address (any of 127.0.0.0/8), for tests that need several clients.
    func call(_ method: String, _ path: String, json: JSONValue? = nil, raw: String? = nil, token: String? = nil,
              headers: [String: String] = [:], maxSeconds: Double? = nil, from: String? = nil) async throws -> Answer {
        var arguments = ["-i", "-X", method]
        if let from { arguments += ["--interface", from] }
        if let maxSeconds { arguments += ["--max-time", String(maxSeconds)] }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        var input: Data?
        if let body = raw ?? json.map({ String(decoding: $0.jsonBytes, as: UTF8.self) }) {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
            input = Data(body.utf8)
        }
        let output = try await Subprocess.curl(arguments + [base + path], stdin: input)
        let parts = output.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "set-cookie" { cookies.append(value) } else { headers[name] = value }
        }
        let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Answer(status: status, headers: headers, cookies: cookies, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Signs up a fresh account; returns its answer (tokens and user).
    func signUp(_ email: String, password: String = "correct horse battery") async throws -> Answer {
        try await call("POST", "/api/v1/auth/signup", json: ["email": .string(email), "password": .string(password)])
    }
}
