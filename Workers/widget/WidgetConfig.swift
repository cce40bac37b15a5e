import OzziRuntime

/// A widget's public side, as the api answers its key: what the loader and the iframe are built from.
/// Origins arrive checked and normalised by the api (`WidgetOrigin`), so they go into a CSP as they are.
struct WidgetConfig: Sendable, Equatable {
    let publicKey: String
    let name: String
    let enabled: Bool
    let allowedOrigins: [String]
    let color: String
    let position: String
    let launcherText: String
    let greeting: String
    let locale: String

    init?(json: JSONValue) {
        guard let fields = json.objectValue, let key = fields["public_key"]?.stringValue, let appearance = fields["appearance"]?.objectValue,
              case .bool(let enabled) = fields["enabled"] else { return nil }
        publicKey = key
        name = fields["name"]?.stringValue ?? ""
        self.enabled = enabled
        allowedOrigins = (fields["allowed_origins"]?.arrayValue ?? []).compactMap(\.stringValue)
        color = appearance["color"]?.stringValue ?? "#2563eb"
        position = appearance["position"]?.stringValue ?? "bottom-right"
        launcherText = appearance["launcher_text"]?.stringValue ?? "Chat"
        greeting = appearance["greeting"]?.stringValue ?? ""
        locale = appearance["locale"]?.stringValue ?? "en"
    }

    /// What the loader script is given (no secret, nothing the page could not see anyway).
    var loaderJSON: JSONValue {
        ["key": .string(publicKey), "origins": .array(allowedOrigins.map { .string($0) }), "color": .string(color),
         "position": .string(position), "launcherText": .string(launcherText), "locale": .string(locale), "title": .string(name)]
    }
}
