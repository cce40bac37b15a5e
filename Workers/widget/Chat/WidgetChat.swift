import Logging
import OzziRuntime

/// The iframe's chat API: it checks who may call (the `Origin`), how often (per client network and per
/// visitor), and how much, then hands the call to the api's visitor routes through the service binding.
struct WidgetChat: Sendable {
    let api: ServiceBinding
    let directory: WidgetDirectory
    let pubsub: any PubSubBroker
    let buckets: any TokenBuckets
    let logger: Logger

    /// New visitor sessions (each becomes a conversation at its first message) per client network.
    static let sessionsPerNetwork = RateLimit("widget-sessions", 10, per: 60)
    /// Messages per visitor, and per client network (many visitors behind one address).
    static let messagesPerVisitor = RateLimit("widget-messages", 20, per: 60)
    static let messagesPerNetwork = RateLimit("widget-network-messages", 120, per: 60)
    /// A chat call's body: a message of 2,000 characters and an identity fit well inside.
    static let maxBodyBytes = 16_384

    /// Refuses a call from a page of another site: the iframe's own calls carry this worker's origin, and a
    /// customer's page calling directly one of the widget's origins. `required`: a browser always sends
    /// `Origin` on POSTs and WebSocket handshakes, so its absence there means no browser page sent it.
    func checkOrigin(_ request: Request, widget: WidgetConfig? = nil, required: Bool) throws {
        guard let origin = request.headers["origin"] else {
            if required { throw WidgetError(status: 403, code: "origin_required", message: "calls to the chat must come from the widget's page") }
            return
        }
        if let host = request.headers["host"], origin.hasSuffix("://" + host.lowercased()) { return }
        if let widget, widget.allowedOrigins.contains(origin.lowercased()) { return }
        throw WidgetError(status: 403, code: "origin_not_allowed", message: "\(origin) may not call this widget's chat")
    }

    /// Refuses a body larger than any chat call needs (`maxBodyBytes`), before anything reads it.
    func checkSize(_ request: Request) throws {
        guard request.body.count <= Self.maxBodyBytes else { throw WidgetError(status: 413, code: "too_large", message: "the body is too large") }
    }

    /// Takes one action from `key`'s bucket or refuses with 429 and `Retry-After`, which the widget shows.
    func limit(_ limit: RateLimit, _ key: String) async throws {
        guard let wait = try await buckets.take(limit, key) else { return }
        throw WidgetError(status: 429, code: "rate_limited", message: "too many requests; try again in \(wait) seconds",
                          headers: ["retry-after": String(wait)])
    }

    /// A call to the api's visitor routes as the visitor whose token `authorization` carries.
    func visitorCall(_ method: String, _ path: String, authorization: String?, body: [UInt8] = []) async throws -> Response {
        var headers: HTTPHeaders = ["content-type": "application/json"]
        if let authorization { headers["authorization"] = authorization }
        return try await api.fetch(Request(method: method, target: "/api/v1/internal/widget-visitor" + path, headers: headers, body: body))
    }

    func createSession(key: String, body: [UInt8]) async throws -> Response {
        try await api.fetch(Request(method: "POST", target: "/api/v1/internal/widgets/\(key)/visitors",
                                    headers: ["content-type": "application/json"], body: body))
    }
}

/// A refusal of the widget worker, in the api's error shape.
struct WidgetError: HTTPError {
    let status: Int
    let code: String
    let message: String
    var details: JSONValue? = nil
    var headers: HTTPHeaders = [:]
}
