import OzziRuntime

/// One field as HTML: a native control with its label, help and error text tied to it. Ids are `f-<key>`
/// (keys are `[a-z][a-z0-9_]*`, so safe in ids); every text is escaped.
enum FormFieldHTML {
    static func html(_ field: JSONValue, hidden: [String: String]) -> String {
        let e = HTMLEscape.escape
        guard let key = field["key"]?.stringValue, let type = field["type"]?.stringValue else { return "" }
        let id = "f-" + key
        let label = field["label"]?.stringValue ?? ""
        let help = field["help"]?.stringValue ?? ""
        let required = field["required"] == .bool(true)
        let placeholder = field["placeholder"]?.stringValue.map { " placeholder=\"\(e($0))\"" } ?? ""
        let star = required ? "<span class=\"req\" aria-hidden=\"true\"> *</span>" : ""
        let described = (help.isEmpty ? "" : "\(id)-help ") + "\(id)-error"
        let aria = " aria-describedby=\"\(described)\"" + (required ? " aria-required=\"true\"" : "")
        let helpHTML = help.isEmpty ? "" : "<p class=\"help\" id=\"\(id)-help\">\(e(help))</p>"
        let error = "<p class=\"error\" id=\"\(id)-error\" hidden></p>"
        let options = (field["options"]?.arrayValue ?? []).map { ($0["value"]?.stringValue ?? "", $0["label"]?.stringValue ?? "") }
        let maxLength = field["max_length"]?.numberValue.map { " maxlength=\"\(Int($0))\"" } ?? ""
        switch type {
        case "hidden":
            let value = hidden[key] ?? field["default"]?.stringValue ?? ""
            return "<input type=\"hidden\" id=\"\(id)\" name=\"\(key)\" value=\"\(e(value))\">\n"
        case "checkbox", "consent":
            return "<div class=\"field check\" data-key=\"\(key)\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(key)\" value=\"on\"\(aria)>"
                + "<label for=\"\(id)\">\(e(label))\(star)</label>\(helpHTML)\(error)</div>\n"
        case "radio", "multi_select":
            let input = type == "radio" ? "radio" : "checkbox"
            let choices = options.enumerated().map { index, option in
                "<label class=\"choice\"><input type=\"\(input)\" id=\"\(id)-\(index)\" name=\"\(key)\" value=\"\(e(option.0))\">\(e(option.1))</label>"
            }.joined()
            return "<fieldset class=\"field\" data-key=\"\(key)\" id=\"\(id)\"\(aria) tabindex=\"-1\"><legend>\(e(label))\(star)</legend>\(helpHTML)\(choices)\(error)</fieldset>\n"
        case "select":
            let choices = "<option value=\"\">Choose…</option>" + options.map { "<option value=\"\(e($0.0))\">\(e($0.1))</option>" }.joined()
            return "<div class=\"field\" data-key=\"\(key)\"><label for=\"\(id)\">\(e(label))\(star)</label>\(helpHTML)"
                + "<select id=\"\(id)\" name=\"\(key)\"\(aria)>\(choices)</select>\(error)</div>\n"
        case "textarea":
            return "<div class=\"field\" data-key=\"\(key)\"><label for=\"\(id)\">\(e(label))\(star)</label>\(helpHTML)"
                + "<textarea id=\"\(id)\" name=\"\(key)\" rows=\"4\"\(maxLength)\(placeholder)\(aria)></textarea>\(error)</div>\n"
        default:
            // Numbers and dates are typed as text the page checks (a browser's own number input hides what
            // was typed when it is not a number, which would say "required" where the server says "a number").
            let (inputType, extra): (String, String) = switch type {
            case "email": ("email", " autocomplete=\"email\"")
            case "phone": ("tel", " autocomplete=\"tel\"")
            case "number": ("text", " inputmode=\"decimal\"")
            case "date": ("text", " inputmode=\"numeric\" placeholder=\"YYYY-MM-DD\"")
            default: ("text", "")
            }
            let hint = type == "date" && field["placeholder"] == nil ? extra : extra.replacing(" placeholder=\"YYYY-MM-DD\"", with: "")
            return "<div class=\"field\" data-key=\"\(key)\"><label for=\"\(id)\">\(e(label))\(star)</label>\(helpHTML)"
                + "<input id=\"\(id)\" name=\"\(key)\" type=\"\(inputType)\"\(type == "number" || type == "date" ? "" : maxLength)\(hint)\(placeholder)\(aria)>\(error)</div>\n"
        }
    }
}
