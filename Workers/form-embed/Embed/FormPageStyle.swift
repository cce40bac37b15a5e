import OzziRuntime

/// The form page's style: the base sheet with the form's theme as custom properties, then the
/// customer's own CSS (checked by the api to load nothing and stay inside its element; `<` is escaped here
/// again, so not even a slip there could close the element).
enum FormPageStyle {
    static func css(theme: [String: JSONValue]) -> String {
        func colour(_ name: String, _ fallback: String) -> String {
            let value = theme[name]?.stringValue ?? fallback
            return value.utf8.count == 7 && value.hasPrefix("#") && value.dropFirst().allSatisfy(\.isHexDigit) ? value : fallback
        }
        let radius = min(max(Int(theme["radius"]?.numberValue ?? 8), 0), 24)
        let font = (theme["font_family"]?.stringValue ?? "system-ui, sans-serif").filter { $0.isLetter || $0.isNumber || " ,'-".contains($0) }
        let vars = ":root{--accent:\(colour("color", "#2563eb"));--bg:\(colour("background", "#ffffff"));--fg:\(colour("text_color", "#111827"));"
            + "--radius:\(radius)px;--font:\(font);}"
        let custom = (theme["custom_css"]?.stringValue ?? "").replacing("<", with: "\\3c ")
        return vars + base + custom
    }

    private static let base = #"""
        *{box-sizing:border-box}
        [hidden]{display:none!important}
        html,body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 var(--font)}
        main{padding:16px}
        form{display:flex;flex-direction:column;gap:14px;margin:0}
        .field{display:flex;flex-direction:column;gap:4px;margin:0;padding:0;border:0;min-width:0}
        .field.check{flex-direction:row;flex-wrap:wrap;align-items:flex-start;gap:8px}
        .field.check label{flex:1}
        .field.check .help,.field.check .error{flex-basis:100%}
        legend{padding:0;margin-bottom:4px}
        label,legend{font-weight:600}
        .choice{display:flex;gap:8px;align-items:center;font-weight:400;padding:2px 0}
        .req{color:#b91c1c}
        .help{margin:0;font-size:13px;opacity:.8}
        input[type=text],input[type=email],input[type=tel],select,textarea{font:inherit;color:inherit;background:#fff;width:100%;padding:9px 10px;border:1px solid #9ca3af;border-radius:var(--radius)}
        input[type=checkbox],input[type=radio]{width:18px;height:18px;margin:2px 0 0;accent-color:var(--accent)}
        :focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        [aria-invalid=true]{border-color:#b91c1c!important}
        fieldset[aria-invalid=true]{border-left:3px solid #b91c1c;padding-left:8px}
        .error{margin:0;color:#b91c1c;font-size:13px;font-weight:600}
        .error[hidden],#status:empty{display:none}
        #status{margin:0;padding:8px 10px;border-radius:var(--radius);background:#fef3c7;color:#92400e}
        button[type=submit]{align-self:flex-start;font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:var(--radius);background:var(--accent);color:#fff;cursor:pointer}
        button[disabled]{opacity:.6;cursor:progress}
        #done{padding:12px 0;font-size:16px}
        #done:focus{outline:none}
        .hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
        """#
}
