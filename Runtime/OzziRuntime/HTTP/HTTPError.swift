/// An error a client sees: status, a stable machine-readable code, and a message naming what is wrong.
///
/// Anything thrown from a worker that does not conform becomes a 500 with a log line and the request id.
public protocol HTTPError: Error {
    var status: Int { get }
    var code: String { get }
    var message: String { get }
    /// Extra JSON for `error.details` (field names, limits, the existing object on a conflict).
    var details: JSONValue? { get }
    /// Headers the answer needs (`Allow` on 405, `Retry-After` on 429).
    var headers: HTTPHeaders { get }
}

extension HTTPError {
    public var details: JSONValue? { nil }
    public var headers: HTTPHeaders { [:] }

    /// The error as the API's JSON error body.
    public var response: Response {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let details { error["details"] = details }
        var response = Response.json(JSONValue.object(["error": .object(error)]), status: status)
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }
}

/// A plain `HTTPError` for the common cases.
public struct ClientError: HTTPError, Equatable {
    public let status: Int
    public let code: String
    public let message: String
    public let details: JSONValue?

    public init(status: Int, code: String, message: String, details: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static func badRequest(_ message: String, field: String? = nil) -> ClientError {
        ClientError(status: 400, code: "bad_request", message: message, details: field.map { .object(["field": .string($0)]) })
    }

    public static func notFound(_ message: String = "not found") -> ClientError {
        ClientError(status: 404, code: "not_found", message: message)
    }
}
