/// An error that may mean a shared engine (PostgreSQL, Redis) cannot be reached right now. The host answers
/// such a request 503 with `Retry-After` rather than 500: nothing is wrong with the request, and the same
/// request succeeds once the engine is back, as connections are dialled again by themselves.
public protocol BackendFailure: Error {
    /// The engine's name when this error means it is unreachable for now; nil for any other failure.
    var unavailableBackend: String? { get }
}

extension SQLError: BackendFailure {
    /// Class 08 (connection exception) and 57P01-03 (the server is shutting down or starting) are
    /// PostgreSQL being away; every other error is about the statement.
    public var unavailableBackend: String? {
        guard let sqlState else { return nil }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState) ? "PostgreSQL" : nil
    }
}

extension RedisError: BackendFailure {
    public var unavailableBackend: String? {
        switch self {
        case .unreachable, .unavailable: "Redis"
        default: nil
        }
    }
}

/// The answer to a request that failed because an engine is away: 503, try again in a second.
struct BackendUnavailable: HTTPError {
    let backend: String
    var status: Int { 503 }
    var code: String { "backend_unavailable" }
    var message: String { "\(backend) cannot be reached right now; try again shortly" }
    var headers: HTTPHeaders { ["Retry-After": "1"] }
}
