import OzziRuntime

/// The api's side of a form, through the service binding: its public settings, a showing (a view and a
/// submission token), a start, a submission.
struct FormDirectory: Sendable {
    let api: ServiceBinding

    /// Keys are `fpk_` and base-32: anything else is refused before it reaches a path.
    static func isKey(_ key: String?) -> Bool {
        guard let key, key.hasPrefix("fpk_"), key.utf8.count <= 64 else { return false }
        return key.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// The form's public settings, or nil for an unknown key.
    func form(key: String?) async throws -> FormConfig? {
        guard Self.isKey(key), let key else { return nil }
        return try await read(try await api.fetch(Request(method: "GET", target: "/api/v1/internal/forms/" + key)))
    }

    /// The form being shown: counted, with a fresh submission token; nil for an unknown or disabled key.
    /// The form to show; `preview` (the console's builder): not counted as a view.
    func show(key: String?, preview: Bool = false) async throws -> FormConfig? {
        guard Self.isKey(key), let key else { return nil }
        return try await read(try await api.fetch(Request(method: "POST", target: "/api/v1/internal/forms/\(key)/views\(preview ? "?preview=1" : "")")))
    }

    func call(_ key: String, _ path: String, _ body: JSONValue) async throws -> Response {
        try await api.fetch(Request(method: "POST", target: "/api/v1/internal/forms/\(key)\(path)", json: body))
    }

    private func read(_ response: Response) async throws -> FormConfig? {
        if response.status == 404 { return nil }
        guard response.status == 200, let config = FormConfig(json: try JSONValue(jsonBytes: response.bodyBytes)) else {
            throw FormEmbedError(status: 503, code: "form_lookup_failed", message: "the form's settings could not be read (the api answered \(response.status))")
        }
        return config
    }
}

/// A refusal of the form-embed worker, in the api's error shape.
struct FormEmbedError: HTTPError {
    let status: Int
    let code: String
    let message: String
    var details: JSONValue? = nil
    var headers: HTTPHeaders = [:]
}
