import OzziRuntime

/// The human-readable reference at `/api/v1/docs`: one page, its script and its style sheet, all served by
/// the api itself. The script fetches the OpenAPI document from the same origin and renders it, so the page
/// shows whatever the document says and needs no change when the document grows.
///
/// The script and style sheet are files of their own rather than inline, so the page's policy can allow
/// scripts and styles from 'self' only, with no nonce or hash to keep in step with the text.
enum APIReference {
    /// `connect-src 'self'` lets the script read the document; `img-src data:` admits the page's empty icon,
    /// which spares the browser a request for a /favicon.ico no worker serves. Nothing else may load.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The page for a reference whose document, script and style sheet are at those same-origin paths.
    static func page(document: String, script: String, style: String) -> String {
        let document = XMLText.escape(document), script = XMLText.escape(script), style = XMLText.escape(style)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>API reference</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(style)">
            <script src="\(script)" defer></script>
            </head>
            <body data-document="\(document)">
            <header class="masthead">
            <h1 id="title">API reference</h1>
            <p id="subtitle" class="subtitle"></p>
            </header>
            <div class="layout">
            <nav id="sidebar" aria-label="Operations">
            <label for="search">Filter operations</label>
            <input id="search" type="search" placeholder="Path, summary or tag" autocomplete="off" spellcheck="false">
            <p id="count" class="count" aria-live="polite"></p>
            <div id="toc"></div>
            </nav>
            <main id="content">
            <p id="status" class="status">Loading <a href="\(document)">the OpenAPI document</a>…</p>
            </main>
            </div>
            </body>
            </html>

            """
    }

    /// Security headers every file of the reference carries; the page adds its policy.
    static func hardened(_ response: Response) -> Response {
        response.adding(header: "x-content-type-options", "nosniff").adding(header: "referrer-policy", "no-referrer")
    }
}
