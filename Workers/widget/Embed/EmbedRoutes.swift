import OzziRuntime

extension Router {
    /// `GET /embed?key=` (the iframe's page) and its script and style sheet.
    mutating func addEmbedRoutes(_ directory: WidgetDirectory) {
        get("/embed") { request, _ in
            guard case .found(let widget) = try await directory.widget(key: request.queryParameter("key")), widget.enabled else {
                return EmbedPage.unavailable()
            }
            return EmbedPage.response(widget)
        }
        let script = Array(EmbedScript.source.utf8), style = Array(EmbedStyle.css.utf8)
        get("/embed.js") { request, _ in
            Validated.response(script, contentType: "text/javascript; charset=utf-8", request: request, cacheControl: "public, max-age=300")
        }
        get("/embed.css") { request, _ in
            Validated.response(style, contentType: "text/css; charset=utf-8", request: request, cacheControl: "public, max-age=300")
        }
    }
}
