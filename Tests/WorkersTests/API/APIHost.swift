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
    /// Signs up a fresh account as a person does: sign-up, then the link of the verification email the
    /// simulated system sender kept; answers what verify-email answered (tokens and user, 201). An answer
    /// other than sign-up's 202 is returned as it is. `from` is the client's address for both calls.
    func signUp(_ email: String, password: String = "correct horse battery", from: String? = nil) async throws -> TestResponse {
        let before = AccountMailbox.emails(in: dataDirectory, to: email).count
        let signup = try await call("POST", "/api/v1/auth/signup", json: ["email": .string(email), "password": .string(password)], from: from)
        guard signup.status == 202 else { return signup }
        let token = try await mailedToken(to: email, after: before, path: "/api/v1/auth/verify-email")
        return try await call("POST", "/api/v1/auth/verify-email", json: ["token": .string(token)], from: from)
    }

    /// The token of the newest account email to `address` after the `after` already kept whose link goes to `path`.
    func mailedToken(to address: String, after: Int, path: String) async throws -> String {
        try await AccountMailbox.nextToken(in: dataDirectory, to: address, after: after, path: path)
    }
}
