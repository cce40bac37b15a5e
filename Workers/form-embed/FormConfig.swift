import OzziRuntime

/// A form's public side, as the api answers its key: its fields (with the rules the page checks), what
/// happens after sending, where it may be embedded, how it looks, and the words of its messages.
struct FormConfig: Sendable {
    let publicKey: String
    let name: String
    let enabled: Bool
    let fields: [JSONValue]
    let settings: [String: JSONValue]
    let messages: JSONValue
    /// The api's rule for an email address, as a regular expression the page checks with.
    let emailPattern: String
    /// Only when the form is being shown (`FormDirectory.show`).
    let token: String?

    init?(json: JSONValue) {
        guard let o = json.objectValue, let key = o["public_key"]?.stringValue, case .bool(let enabled)? = o["enabled"],
              let fields = o["fields"]?.arrayValue, let settings = o["settings"]?.objectValue else { return nil }
        publicKey = key
        name = o["name"]?.stringValue ?? ""
        self.enabled = enabled
        self.fields = fields
        self.settings = settings
        messages = o["messages"] ?? [:]
        emailPattern = o["email_pattern"]?.stringValue ?? "@"
        token = o["token"]?.stringValue
    }

    /// Checked and normalised by the api (`WidgetOrigin`): safe in a CSP as they are.
    var allowedOrigins: [String] { (settings["allowed_origins"]?.arrayValue ?? []).compactMap(\.stringValue) }
    var theme: [String: JSONValue] { settings["theme"]?.objectValue ?? [:] }
    var honeypot: Bool { settings["honeypot"] != .bool(false) }

    /// Keys of the hidden fields, which the page's URL may fill.
    var hiddenKeys: [String] {
        fields.compactMap { $0["type"]?.stringValue == "hidden" ? $0["key"]?.stringValue : nil }
    }
}
