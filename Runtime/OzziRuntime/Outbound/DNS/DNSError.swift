/// Why a DNS question got no answer.
public enum DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name cannot be asked for (empty label, a label over 63 bytes, over 255 bytes in all).
    case invalidName(String)
    /// No answer from the server within the timeout, on every attempt.
    case timedOut(server: String)
    /// The server answered with an error code other than NXDOMAIN (SERVFAIL, REFUSED, ...).
    case serverFailure(rcode: Int, server: String)
    /// The server's answer could not be read.
    case malformed(String)
    /// The server could not be reached (unknown host, connection refused, no route).
    case unreachable(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "cannot look up '\(name)': not a valid domain name"
        case .timedOut(let server): "the name server \(server) did not answer in time"
        case .serverFailure(let rcode, let server): "the name server \(server) failed: \(Self.rcodeName(rcode))"
        case .malformed(let why): "unreadable DNS answer: \(why)"
        case .unreachable(let why): "cannot reach the name server: \(why)"
        }
    }

    static func rcodeName(_ rcode: Int) -> String {
        switch rcode {
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        default: "rcode \(rcode)"
        }
    }
}
