import OzziRuntime

/// The form's page (`/embed?key=`), rendered here: native controls with labels, help and error text tied
/// to each field (`aria-describedby`), so it works by keyboard and with a screen reader, and without script
/// (a plain POST to `submit`). Its style and script are inline under a fresh nonce, the only ones its
/// policy allows; it loads nothing else, and only the form's allowed origins may frame it.
enum FormPage {
    /// What the page is built from besides the form: its nonce, and what the embedding page's URL gave.
    struct Showing {
        let nonce: String
        let page: String
        let utm: [String: String]
        let hidden: [String: String]
    }

    /// `frameAncestors`: who may frame the page, when not the form's allowed origins.
    static func response(_ form: FormConfig, _ showing: Showing, frameAncestors: String? = nil) -> Response {
        hardened(.html(html(form, showing)))
            .adding(header: "content-security-policy", policy(nonce: showing.nonce, frameAncestors: frameAncestors ?? form.allowedOrigins.joined(separator: " ")))
            .adding(header: "cache-control", "no-store")
    }

    /// For an unknown or disabled key: nothing to show, and nowhere to be framed.
    static func unavailable() -> Response {
        hardened(.html("<!doctype html><meta charset=\"utf-8\"><title>Form unavailable</title><p>This form is not available.</p>\n", status: 404))
            .adding(header: "content-security-policy", "default-src 'none'; frame-ancestors 'none'")
            .adding(header: "cache-control", "no-store")
    }

    static func policy(nonce: String, frameAncestors: String) -> String {
        "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; connect-src 'self'; img-src data:; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors \(frameAncestors.isEmpty ? "'none'" : frameAncestors)"
    }

    static func hardened(_ response: Response) -> Response {
        response.adding(header: "x-content-type-options", "nosniff").adding(header: "referrer-policy", "strict-origin-when-cross-origin")
    }

    static func html(_ form: FormConfig, _ showing: Showing) -> String {
        let e = HTMLEscape.escape
        let config: JSONValue = ["key": .string(form.publicKey), "token": .string(form.token ?? ""), "page": .string(showing.page),
                                 "utm": .object(showing.utm.mapValues { .string($0) }), "fields": .array(form.fields), "messages": form.messages, "email_pattern": .string(form.emailPattern),
                                 "origins": .array(form.allowedOrigins.map { .string($0) })]
        let submit = form.settings["submit_label"]?.stringValue ?? "Submit"
        let success = form.settings["success_message"]?.stringValue ?? ""
        var body = ""
        for field in form.fields { body += FormFieldHTML.html(field, hidden: showing.hidden) }
        if form.honeypot {
            // No person sees or reaches it (off-screen, hidden from assistive technology, out of the tab order).
            // Its id is outside the fields' `f-` names, so no field's key can take its place.
            body += "<div class=\"hp\" aria-hidden=\"true\"><label for=\"ozzi-hp\">Leave this empty</label>"
                + "<input id=\"ozzi-hp\" name=\"_hp\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(form.name))</title>
            <style nonce="\(showing.nonce)">\(FormPageStyle.css(theme: form.theme))</style>
            </head>
            <body>
            <main>
            <form id="form" method="post" action="submit" novalidate aria-label="\(e(form.name))">
            <input type="hidden" name="_key" value="\(e(form.publicKey))">
            <input type="hidden" name="_token" value="\(e(form.token ?? ""))">
            <input type="hidden" name="_page" value="\(e(showing.page))">
            \(body)<p id="status" role="status" aria-live="polite"></p>
            <button id="submit" type="submit">\(e(submit))</button>
            </form>
            <div id="done" tabindex="-1" hidden><p>\(e(success))</p></div>
            </main>
            <script type="application/json" id="config" nonce="\(showing.nonce)">\(jsonForScript(config))</script>
            <script nonce="\(showing.nonce)">\(FormPageScript.source)</script>
            </body>
            </html>

            """
    }

    /// JSON inside a script element: `<` written as its escape, so no text in it can close the element.
    static func jsonForScript(_ value: JSONValue) -> String {
        value.jsonText.replacing("<", with: "\\u003c")
    }
}
