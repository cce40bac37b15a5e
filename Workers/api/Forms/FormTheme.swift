import OzziRuntime

/// How a form looks: colours, font, corner radius, and the customer's own CSS, all written into the
/// form page's one style element (allowed by its nonce). Colours are `#rrggbb`; the custom CSS may not
/// leave its style element or fetch anything (`<`, `@import` and `url(` are refused), so a form's look
/// can never become a script or a request to another site.
struct FormTheme: Sendable, Equatable {
    var color = "#2563eb"
    var background = "#ffffff"
    var textColor = "#111827"
    var font = "system"
    var radius = 8
    var customCSS = ""

    static let fonts = ["system": "system-ui, -apple-system, 'Segoe UI', sans-serif", "serif": "Georgia, 'Times New Roman', serif",
                        "mono": "ui-monospace, 'SFMono-Regular', Menlo, monospace", "rounded": "ui-rounded, 'Nunito', system-ui, sans-serif"]

    func changed(by value: JSONValue?) throws -> FormTheme {
        guard let value, value != .null else { return self }
        guard case .object(let o) = value else { throw APIError.invalidField("settings.theme", "must be an object") }
        let known: Set<String> = ["color", "background", "text_color", "font", "radius", "custom_css"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) { throw APIError.invalidField("settings.theme.\(unknown)", "is not a theme setting") }
        let r = FormField.Reader(fields: o, path: "settings.theme")
        var next = self
        for (name, path) in [("color", \FormTheme.color), ("background", \.background), ("text_color", \.textColor)] {
            guard let colour = try r.string(name, max: 7) else { continue }
            guard Self.isColour(colour) else { throw APIError.invalidField("settings.theme.\(name)", "must be a colour as #rrggbb") }
            next[keyPath: path] = colour.lowercased()
        }
        if let font = try r.string("font", max: 20) {
            guard Self.fonts[font] != nil else { throw APIError.invalidField("settings.theme.font", "must be one of \(Self.fonts.keys.sorted().joined(separator: ", "))") }
            next.font = font
        }
        next.radius = try r.int("radius", 0...24) ?? radius
        if let css = try r.string("custom_css", max: 10_000) {
            if let why = Self.unsafe(css) { throw APIError.invalidField("settings.theme.custom_css", why) }
            next.customCSS = css
        }
        return next
    }

    var json: JSONValue {
        ["color": .string(color), "background": .string(background), "text_color": .string(textColor), "font": .string(font),
         "radius": .number(Double(radius)), "custom_css": .string(customCSS)]
    }

    /// For the form's page: the font as a CSS family list.
    var publicJSON: JSONValue {
        var json = self.json.objectValue ?? [:]
        json["font_family"] = .string(Self.fonts[font] ?? Self.fonts["system"]!)
        return .object(json)
    }

    static func isColour(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 7 && bytes[0] == UInt8(ascii: "#") && bytes.dropFirst().allSatisfy { (48...57).contains($0) || (97...102).contains($0 | 0x20) }
    }

    /// Why custom CSS is refused, or nil. Escapes are refused with the rest: `\3c` is a `<` to a CSS parser.
    static func unsafe(_ css: String) -> String? {
        let lower = css.lowercased()
        if lower.contains("<") { return "must not contain <" }
        if lower.contains("\\") { return "must not contain backslash escapes" }
        for word in ["@import", "url(", "image-set(", "expression(", "javascript:", "@font-face", "@namespace"] where lower.contains(word) {
            return "must not contain \(word) (a form's style loads nothing from elsewhere)"
        }
        return nil
    }
}
