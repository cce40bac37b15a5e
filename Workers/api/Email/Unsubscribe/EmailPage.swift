import OzziRuntime

/// The small pages a recipient sees from an email's links (the unsubscribe confirmation, a link that is
/// not valid): self-contained HTML, every text escaped, no script, a CSP that allows only its own style
/// and its form posting back here. Cookies are neither read nor set.
enum EmailPage {
    static func html(title: String, _ body: String, status: Int = 200) -> Response {
        let nonce = Crypto.token(bytes: 16)
        let page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(XMLText.escape(title))</title>
            <style nonce="\(nonce)">body{font:16px/1.5 system-ui,sans-serif;color:#1f2937;background:#f9fafb;margin:0}
            main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #e5e7eb;border-radius:.5rem}
            h1{font-size:1.25rem;margin:0 0 1rem}button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#111827;color:#fff;cursor:pointer}</style>
            </head><body><main><h1>\(XMLText.escape(title))</h1>\(body)</main></body></html>
            """
        return Response.html(page, status: status)
            .adding(header: "content-security-policy",
                    "default-src 'none'; style-src 'nonce-\(nonce)'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
            .adding(header: "cache-control", "no-store")
            .adding(header: "referrer-policy", "no-referrer")
            .adding(header: "x-content-type-options", "nosniff")
    }

    /// A link that cannot be acted on: a page for a browser, the API's JSON error for any other client.
    static func problem(_ request: Request, status: Int, title: String, _ message: String) -> Response {
        guard request.headers["accept"]?.lowercased().contains("text/html") == true else {
            let code = status == 404 ? "not_found" : "bad_request"
            return .json(["error": ["code": code, "message": message]], status: status).adding(header: "cache-control", "no-store")
        }
        return html(title: title, "<p>\(XMLText.escape(message))</p>", status: status)
    }
}
