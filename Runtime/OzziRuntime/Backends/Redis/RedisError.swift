/// Why a Redis call failed. Each case that concerns a server names it by its masked URL.
public enum RedisError: Error, Equatable, CustomStringConvertible {
    /// The URL does not parse.
    case invalidURL(String, reason: String)
    /// The server could not be reached (at start-up: the host refuses to start).
    case unreachable(RedisURL, reason: String)
    /// The connection is down (a reconnect is under way); callers answer 503 and try again later.
    case unavailable(RedisURL)
    /// The server answered the command with an error reply (`ERR ...`, `NOSCRIPT ...`).
    case server(String)
    /// The reply was not of the type the call expects.
    case unexpectedReply(RedisReply)
    /// The client was closed.
    case closed

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): "invalid Redis URL \(url): \(reason)"
        case .unreachable(let url, let reason): "cannot reach Redis at \(url): \(reason)"
        case .unavailable(let url): "Redis at \(url) is unavailable (reconnecting)"
        case .server(let message): "Redis answered: \(message)"
        case .unexpectedReply(let reply): "unexpected Redis reply: \(reply)"
        case .closed: "the Redis client is closed"
        }
    }
}
