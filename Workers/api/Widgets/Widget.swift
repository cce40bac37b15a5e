import OzziRuntime

/// A chat widget of a workspace, as its row holds it. Answered with the script tag that embeds it; its
/// identity secret only in the answers that made it (creation, rotation).
struct Widget: Sendable {
    let id: String
    let workspaceID: String
    let name: String
    let publicKey: String
    let allowedOrigins: [WidgetOrigin]
    let appearance: WidgetAppearance
    let enabled: Bool
    let secretRotatedAt: String
    let createdAt: String
    let updatedAt: String
    /// Sealed at rest; opened only to verify an `identify` signature.
    let identitySecretSealed: String
}

extension Widget: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, workspace_id, name, public_key, allowed_origins, appearance, enabled, secret_rotated_at, created_at, updated_at
        case identity_secret_sealed
    }

    static let columns = Columns.allCases.map(\.rawValue).joined(separator: ", ")

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        name = try row.decode(String.self, forKey: .name)
        publicKey = try row.decode(String.self, forKey: .public_key)
        allowedOrigins = (try row.decode(JSONValue.self, forKey: .allowed_origins).arrayValue ?? [])
            .compactMap { $0.stringValue.flatMap { try? WidgetOrigin.parse($0).get() } }
        appearance = WidgetAppearance(json: try row.decode(JSONValue.self, forKey: .appearance))
        enabled = try row.decode(Int.self, forKey: .enabled) != 0
        secretRotatedAt = try row.decode(String.self, forKey: .secret_rotated_at)
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
        identitySecretSealed = try row.decode(String.self, forKey: .identity_secret_sealed)
    }
}

extension Widget {
    /// The widget as the API answers it. `widgetURL` is where the widget worker is mounted (`WIDGET_URL`);
    /// `identitySecret` is given only by creation and rotation.
    struct Answer: Encodable, Sendable {
        let id: String
        let name: String
        let public_key: String
        let allowed_origins: [String]
        let appearance: JSONValue
        let enabled: Bool
        let snippet: String
        let secret_rotated_at: String
        let created_at: String
        let updated_at: String
        let identity_secret: String?
    }

    func answer(widgetURL: String, identitySecret: String? = nil) -> Answer {
        Answer(id: id, name: name, public_key: publicKey, allowed_origins: allowedOrigins.map(\.description), appearance: appearance.json,
               enabled: enabled, snippet: Self.snippet(widgetURL: widgetURL, publicKey: publicKey), secret_rotated_at: secretRotatedAt,
               created_at: createdAt, updated_at: updatedAt, identity_secret: identitySecret)
    }

    /// What a customer pastes into their pages: a stub that queues `OzziOsWidget` calls made before the
    /// loader arrives (it replays them), then the loader itself, fetched without blocking the page.
    /// `reset()` ends the visitor's chat session in this browser (call it when the site's user signs out).
    static func snippet(widgetURL: String, publicKey: String) -> String {
        let stub = "(function(w){var o=w.OzziOsWidget=w.OzziOsWidget||{q:[]};"
            + "['open','close','toggle','identify','reset','on'].forEach(function(m){o[m]=o[m]||function(){o.q.push([m,[].slice.call(arguments)])}})})(window);"
        return "<script>\(stub)</script>\n<script async src=\"\(XMLText.escape(widgetURL))/loader.js?key=\(publicKey)\"></script>"
    }

    /// What the widget worker needs to serve it: no secret.
    var publicConfig: JSONValue {
        ["public_key": .string(publicKey), "name": .string(name), "enabled": .bool(enabled),
         "allowed_origins": .array(allowedOrigins.map { .string($0.description) }), "appearance": appearance.json]
    }
}
