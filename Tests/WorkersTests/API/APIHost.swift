import Foundation
import OzziRuntime
import OzziTestSupport

/// The api worker's test harness: `WorkerTestHost` for the worker named "api" in `wrangler-like.toml`.
enum APIHost {
    /// Starts a host for the api worker, in-process unless the test needs a socket; see `WorkerTestHost.start`.
    static func start(_ mode: TestMode = .inProcess, vars: [String: String] = [:], secrets: [String: String] = [:],
                      clock: any WallClock = SystemClock(), dataDirectory: String? = nil,
                      limits: (inout ServerLimits) -> Void = { _ in }, log: LogRecords? = nil,
                      backends: HostConfig.Backends? = nil) async throws -> WorkerTestHost {
        try await WorkerTestHost.start("api", mode, vars: vars, secrets: secrets, clock: clock, dataDirectory: dataDirectory, limits: limits,
                                       log: log, backends: backends)
    }
}

extension WorkerTestHost {
    /// Signs up a fresh account; returns its answer (tokens and user).
    func signUp(_ email: String, password: String = "correct horse battery") async throws -> TestResponse {
        try await call("POST", "/api/v1/auth/signup", json: ["email": .string(email), "password": .string(password)])
    }
}
