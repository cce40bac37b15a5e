import OzziRuntime

/// How a widget looks on the customer's page: its colour, which corner, the launcher's label, the first
/// line a visitor reads, and the language of its own words.
struct WidgetAppearance: Equatable, Sendable {
    var color = "#2563eb"
    var position = "bottom-right"
    var launcherText = "Chat with us"
    var greeting = "Hi! How can we help?"
    var locale = "en"

    static let positions = ["bottom-right", "bottom-left"]

    /// As stored and answered.
    var json: JSONValue {
        ["color": .string(color), "position": .string(position), "launcher_text": .string(launcherText),
         "greeting": .string(greeting), "locale": .string(locale)]
    }

    init() {}

    /// A stored appearance; fields it lacks keep their defaults.
    init(json: JSONValue?) {
        let fields = json?.objectValue ?? [:]
        color = fields["color"]?.stringValue ?? color
        position = fields["position"]?.stringValue ?? position
        launcherText = fields["launcher_text"]?.stringValue ?? launcherText
        greeting = fields["greeting"]?.stringValue ?? greeting
        locale = fields["locale"]?.stringValue ?? locale
    }

    /// This appearance with the fields of a request's `appearance` object changed (the route's schema
    /// checked their shapes; the colour is kept lower-case).
    func changed(by body: JSONValue?) throws -> WidgetAppearance {
        guard let body, body != .null else { return self }
        guard case .object = body else { throw APIError.invalidField("appearance", "must be an object") }
        let fields = JSONBody(fields: body.objectValue ?? [:])
        var next = self
        if let color = try fields.string("color", max: 7) { next.color = color.lowercased() }
        if let position = try fields.choice("position", Self.positions) { next.position = position }
        if let text = try fields.string("launcher_text", max: 40) {
            guard !text.isEmpty else { throw APIError.invalidField("appearance.launcher_text", "must not be empty") }
            next.launcherText = text
        }
        if let greeting = try fields.string("greeting", max: 500) { next.greeting = greeting }
        if let locale = try fields.string("locale", max: 35) { next.locale = locale }
        return next
    }

    static let schema = Schema.object([
        .optional("color", Group.colorSchema.described("The launcher's and header's colour (default #2563eb)")),
        .optional("position", Schema.oneOf(positions).described("The corner of the page (default bottom-right)")),
        .optional("launcher_text", Schema.text(max: 40).example("Chat with us")),
        .optional("greeting", Schema.string(max: 500).example("Hi! How can we help?")),
        .optional("locale", Schema.string(min: 2, max: 35, pattern: "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$").example("en-GB")
            .patternMeaning("a BCP 47 language tag (en, en-GB, pt-BR)")),
    ], closed: true)

    static let answerSchema = Schema.object([
        .required("color", Group.colorSchema), .required("position", .oneOf(positions)), .required("launcher_text", .string()),
        .required("greeting", .string()), .required("locale", .string()),
    ], closed: true)
}
