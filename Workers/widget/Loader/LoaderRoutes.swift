import OzziRuntime

extension Router {
    /// `GET /loader.js?key=`: the loader with the widget's public settings, cacheable for five minutes and
    /// revalidated by its `ETag` (a changed setting is a new tag). An unknown or disabled key answers a 404
    /// the browser does not run.
    mutating func addLoaderRoutes(_ directory: WidgetDirectory) {
        get("/loader.js") { request, _ in
            guard case .found(let widget) = try await directory.widget(key: request.queryParameter("key")), widget.enabled else {
                return Response.javascript("/* OzziOsWidget: no enabled widget has this key */\n", status: 404)
                    .adding(header: "cache-control", "public, max-age=60").adding(header: "x-content-type-options", "nosniff")
            }
            let source = LoaderScript.source(config: String(decoding: widget.loaderJSON.jsonBytes, as: UTF8.self))
            return Validated.response(Array(source.utf8), contentType: "text/javascript; charset=utf-8", request: request, cacheControl: "public, max-age=300")
        }
    }
}
