import OzziRuntime

/// The iframe the loader opens (`/embed?key=`): a server-rendered page whose script and style sheet are
/// files of the same origin, so its policy allows 'self' only, and whose `frame-ancestors` are the widget's
/// allowed origins — a page of any other origin that frames it gets nothing from the browser.
enum EmbedPage {
    static func response(_ widget: WidgetConfig) -> Response {
        hardened(.html(page(widget)))
            .adding(header: "content-security-policy", policy(frameAncestors: widget.allowedOrigins.joined(separator: " ")))
            .adding(header: "cache-control", "no-cache")
    }

    /// For an unknown or disabled key: nothing to show, and nowhere to be framed.
    static func unavailable() -> Response {
        hardened(.html("<!doctype html><meta charset=\"utf-8\"><title>Chat unavailable</title><p>This chat is not available.</p>\n", status: 404))
            .adding(header: "content-security-policy", policy(frameAncestors: "'none'"))
            .adding(header: "cache-control", "no-store")
    }

    /// `connect-src 'self'` is the chat's own API and WebSocket; `img-src data:` the empty icon.
    static func policy(frameAncestors: String) -> String {
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors \(frameAncestors.isEmpty ? "'none'" : frameAncestors)"
    }

    static func hardened(_ response: Response) -> Response {
        response.adding(header: "x-content-type-options", "nosniff").adding(header: "referrer-policy", "no-referrer")
    }

    /// The widget's settings travel in data attributes (escaped), read by `embed.js`; no inline script or style.
    static func page(_ widget: WidgetConfig) -> String {
        let e = HTMLEscape.escape
        let origins = String(decoding: JSONValue.array(widget.allowedOrigins.map { .string($0) }).jsonBytes, as: UTF8.self)
        return """
            <!doctype html>
            <html lang="\(e(widget.locale))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(widget.name.isEmpty ? "Chat" : widget.name))</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="embed.css">
            <script src="embed.js" defer></script>
            </head>
            <body data-key="\(e(widget.publicKey))" data-origins="\(e(origins))" data-color="\(e(widget.color))">
            <header>
            <h1 id="title">\(e(widget.name.isEmpty ? "Chat" : widget.name))</h1>
            <button id="close" type="button" aria-label="Close the chat">&#215;</button>
            </header>
            <main id="log" aria-live="polite">
            <p class="greeting">\(e(widget.greeting))</p>
            </main>
            <form id="email-form" hidden>
            <label for="email">Leave your email and we will reply there too</label>
            <input id="email" type="email" maxlength="320" autocomplete="email" placeholder="you@example.com">
            <button type="submit">Save</button>
            </form>
            <p id="typing" hidden>Typing…</p>
            <p id="notice" role="status" hidden></p>
            <form id="compose">
            <label for="text" class="hidden">Your message</label>
            <textarea id="text" maxlength="2000" rows="2" placeholder="Write a message…" required></textarea>
            <button id="send" type="submit">Send</button>
            </form>
            </body>
            </html>

            """
    }
}
