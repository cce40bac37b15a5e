import OzziRuntime

/// What a form does around its fields: what the visitor sees after sending, which sites may embed it,
/// how it defends against spam, and how it looks.
struct FormSettings: Sendable {
    var successMessage = "Thank you! Your answers were sent."
    /// Where the page goes after a submission instead of the message (http or https).
    var redirectURL: String?
    var submitLabel = "Submit"
    var allowedOrigins: [WidgetOrigin] = []
    var spam = Spam()
    var theme = FormTheme()

    struct Spam: Sendable, Equatable {
        /// A field no person sees; a submission that fills it is dropped with the answer a real one gets.
        var honeypot = true
        /// A submission sent sooner than this after the form was shown is dropped the same way.
        var minFillSeconds = 3
        /// Submissions per email address per hour, and per client network per minute.
        var perEmailPerHour = 5
        var perNetworkPerMinute = 20
    }

    /// Reads `settings` over `self` (a change names only what it changes); mistakes are named `settings.x`.
    func changed(by value: JSONValue?) throws -> FormSettings {
        guard let value, value != .null else { return self }
        guard case .object(let o) = value else { throw APIError.invalidField("settings", "must be an object") }
        let known: Set<String> = ["success_message", "redirect_url", "submit_label", "allowed_origins", "spam", "theme"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) { throw APIError.invalidField("settings.\(unknown)", "is not a setting") }
        var next = self
        let r = FormField.Reader(fields: o, path: "settings")
        if let message = try r.string("success_message", max: 2_000) {
            guard !message.isEmpty else { throw APIError.invalidField("settings.success_message", "must not be empty") }
            next.successMessage = message
        }
        if o["redirect_url"] == .null { next.redirectURL = nil }
        if let url = try r.string("redirect_url", max: 2_000) {
            guard Self.isWebURL(url) else { throw APIError.invalidField("settings.redirect_url", "must be an http(s) URL") }
            next.redirectURL = url
        }
        if let label = try r.string("submit_label", max: 60) {
            guard !label.isEmpty else { throw APIError.invalidField("settings.submit_label", "must not be empty") }
            next.submitLabel = label
        }
        // Named by their place in the body: `settings.allowed_origins[1]`.
        if let given = o["allowed_origins"], let origins = try JSONBody(fields: ["settings.allowed_origins": given]).origins("settings.allowed_origins") {
            next.allowedOrigins = origins
        }
        if let spam = o["spam"], spam != .null {
            guard case .object(let s) = spam else { throw APIError.invalidField("settings.spam", "must be an object") }
            let known: Set<String> = ["honeypot", "min_fill_seconds", "per_email_per_hour", "per_network_per_minute"]
            if let unknown = s.keys.sorted().first(where: { !known.contains($0) }) { throw APIError.invalidField("settings.spam.\(unknown)", "is not a spam setting") }
            let sr = FormField.Reader(fields: s, path: "settings.spam")
            next.spam.honeypot = try sr.bool("honeypot") ?? next.spam.honeypot
            next.spam.minFillSeconds = try sr.int("min_fill_seconds", 0...3_600) ?? next.spam.minFillSeconds
            next.spam.perEmailPerHour = try sr.int("per_email_per_hour", 1...10_000) ?? next.spam.perEmailPerHour
            next.spam.perNetworkPerMinute = try sr.int("per_network_per_minute", 1...100_000) ?? next.spam.perNetworkPerMinute
        }
        next.theme = try theme.changed(by: o["theme"])
        return next
    }

    var json: JSONValue {
        ["success_message": .string(successMessage), "redirect_url": redirectURL.map { .string($0) } ?? .null, "submit_label": .string(submitLabel),
         "allowed_origins": .array(allowedOrigins.map { .string($0.description) }),
         "spam": ["honeypot": .bool(spam.honeypot), "min_fill_seconds": .number(Double(spam.minFillSeconds)),
                  "per_email_per_hour": .number(Double(spam.perEmailPerHour)), "per_network_per_minute": .number(Double(spam.perNetworkPerMinute))],
         "theme": theme.json]
    }

    /// `http://` or `https://`, a host, no blanks or control characters: safe to put in `location`.
    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return false }
        let rest = lower.drop { $0 != "/" }.dropFirst(2)
        return !rest.isEmpty && rest.first != "/" && !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" || $0 == "\\" }
    }
}
