import OzziRuntime

/// Finds widgets by public key through the api's service binding: the widget worker owns no data.
struct WidgetDirectory: Sendable {
    let api: ServiceBinding

    enum Lookup: Sendable {
        case found(WidgetConfig)
        /// No widget has the key, or it is not a key at all.
        case unknown
    }

    func widget(key: String?) async throws -> Lookup {
        // Keys are `wpk_` and base-32: anything else is refused before it reaches a path.
        guard let key, key.hasPrefix("wpk_"), key.utf8.count <= 64,
              key.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else { return .unknown }
        let response = try await api.fetch(Request(method: "GET", target: "/api/v1/internal/widgets/" + key))
        if response.status == 404 { return .unknown }
        guard response.status == 200, let config = WidgetConfig(json: try JSONValue(jsonBytes: response.bodyBytes)) else {
            throw WidgetLookupFailed(answered: response.status)
        }
        return .found(config)
    }
}

/// The api answered a lookup with something other than a widget or a 404.
struct WidgetLookupFailed: HTTPError {
    let answered: Int
    var status: Int { 503 }
    var code: String { "widget_lookup_failed" }
    var message: String { "the widget's settings could not be read (the api answered \(answered))" }
}
