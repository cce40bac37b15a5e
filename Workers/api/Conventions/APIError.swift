import OzziRuntime

/// The api worker's client errors: `{"error": {"code", "message", "details"}}` with the right status.
struct APIError: HTTPError {
    let status: Int
    let code: String
    let message: String
    var details: JSONValue?
    var headers: HTTPHeaders = [:]

    /// A field is missing, of the wrong type, or out of bounds.
    static func invalidField(_ field: String, _ why: String) -> APIError {
        APIError(status: 422, code: "invalid_field", message: "\(field): \(why)", details: .object(["field": .string(field)]))
    }

    /// This refusal of a field, named within `parent` (`rules.direction` for `direction`); other errors as they are.
    func nested(under parent: String) -> APIError {
        guard code == "invalid_field", let field = details?["field"]?.stringValue else { return self }
        let why = message.hasPrefix(field + ": ") ? String(message.dropFirst(field.count + 2)) : message
        return .invalidField(parent + "." + field, why)
    }

    static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(status: 400, code: code, message: message)
    }

    static let unauthorized = APIError(
        status: 401, code: "unauthorized", message: "a valid access token, session cookie or API key is required")

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "unauthorized", message: message)
    }

    static func forbidden(_ message: String) -> APIError {
        APIError(status: 403, code: "forbidden", message: message)
    }

    /// Also what another tenant's object answers: it does not exist for the caller.
    static func notFound(_ what: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "\(what) not found")
    }

    static func conflict(_ message: String, details: JSONValue? = nil) -> APIError {
        APIError(status: 409, code: "conflict", message: message, details: details)
    }

    /// `If-Match` named a version other than the current one (its `etag`).
    static func preconditionFailed(_ what: String, etag: String) -> APIError {
        APIError(status: 412, code: "precondition_failed", message: "\(what) changed since it was read (its etag is now \(etag))",
                 details: .object(["etag": .string(etag)]), headers: ["etag": etag])
    }

    static func rateLimited(retryAfterSeconds: Int) -> APIError {
        APIError(status: 429, code: "rate_limited", message: "too many attempts; retry in \(retryAfterSeconds) s",
                 details: .object(["retry_after": .number(Double(retryAfterSeconds))]), headers: ["retry-after": String(retryAfterSeconds)])
    }
}
