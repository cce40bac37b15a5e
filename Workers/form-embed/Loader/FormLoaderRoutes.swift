import OzziRuntime

extension Router {
    /// `GET /loader.js?key=`: the loader with the form's public settings, cacheable for five minutes and
    /// revalidated by its `ETag`. An unknown or disabled key answers a 404 the browser does not run.
    mutating func addFormLoaderRoutes(_ directory: FormDirectory) {
        get("/loader.js") { request, _ in
            guard let form = try await directory.form(key: request.queryParameter("key")), form.enabled else {
                return Response.javascript("/* OzziForms: no enabled form has this key */\n", status: 404)
                    .adding(header: "cache-control", "public, max-age=60").adding(header: "x-content-type-options", "nosniff")
            }
            let config: JSONValue = ["key": .string(form.publicKey), "name": .string(form.name),
                                     "origins": .array(form.allowedOrigins.map { .string($0) }), "hidden": .array(form.hiddenKeys.map { .string($0) })]
            let source = FormLoaderScript.source(config: String(decoding: config.jsonBytes, as: UTF8.self))
            return Validated.response(Array(source.utf8), contentType: "text/javascript; charset=utf-8", request: request, cacheControl: "public, max-age=300")
        }
    }
}
