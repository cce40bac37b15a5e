import OzziRuntime

extension Widget.Answer: APIModel {
    static var schemaName: String { "Widget" }

    static let schema = Schema.object([
        .required("id", Schema.string().example("wgt_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Shop chat")),
        .required("public_key", Schema.string().example("wpk_3f9a1c0b7e2d4a5b6c7d8e9f").described("Named by the script tag; public")),
        .required("allowed_origins", Schema.array(Schema.string().example("https://shop.example"))
            .described("The origins that may frame the widget and call its API")),
        .required("appearance", WidgetAppearance.answerSchema),
        .required("enabled", Schema.boolean.described("A disabled widget's loader and iframe refuse to render")),
        .required("snippet", Schema.string().described("The HTML to paste into the pages that show the widget")),
        .required("secret_rotated_at", .timestamp),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("identity_secret", Schema.string().example("wsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwxxxxxxxxxxx")
            .described("Only in the answers to creation and rotation: the key the customer's server signs identify calls with")),
    ], closed: true)

    /// An origin as `WidgetOrigin` reads one: http(s), a host of DNS labels (or `*.` and a domain of two
    /// labels at least), a port 1-65535, nothing after but one `/`.
    static let origin: Schema = {
        let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        let port = "(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
        let host = "(?:\\*\\.\(label)(?:\\.\(label))+|\(label)(?:\\.\(label))*)"
        return Schema.string(min: 1, max: 260, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://\(host)\(port)/?$").example("https://shop.example")
            .patternMeaning("an origin: http(s)://host[:port], or https://*.example.com for its subdomains")
    }()

    /// A widget as a body: a name and its origins to create one; any field to change one.
    static func body(creating: Bool) -> Schema {
        let name = Schema.text(max: 100).example("Shop chat")
        let origins = Schema.array(Self.origin, min: 1, max: 20)
            .described("Origins (scheme://host[:port], or https://*.example.com for its subdomains) that may embed the widget")
        var fields: [Property] = [
            creating ? .required("name", name) : .optional("name", name.nullable),
            creating ? .required("allowed_origins", origins) : .optional("allowed_origins", origins.nullable),
            .optional("appearance", WidgetAppearance.schema.nullable),
        ]
        if !creating {
            fields.append(.optional("enabled", Schema.boolean.nullable.described("false disables the widget everywhere it is embedded")))
        }
        return .object(fields)
    }
}

extension JSONBody {
    /// `allowed_origins`, each parsed; a bad one is named by its position.
    func origins(_ name: String = "allowed_origins") throws -> [WidgetOrigin]? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .array(let items) = value, !items.isEmpty, items.count <= 20 else {
            throw APIError.invalidField(name, "must be an array of 1 to 20 origins")
        }
        var seen = Set<WidgetOrigin>()
        return try items.enumerated().compactMap { index, item in
            guard case .string(let text) = item else { throw APIError.invalidField("\(name)[\(index)]", "must be a string") }
            switch WidgetOrigin.parse(text) {
            case .success(let origin): return seen.insert(origin).inserted ? origin : nil
            case .failure(let error): throw APIError.invalidField("\(name)[\(index)]", "'\(text)' \(error.reason)")
            }
        }
    }
}
