import OzziRuntime

extension RouteGroup {
    /// `GET /docs` and its script and style sheet: the reference of `/openapi.json` beside it (`APIReference`).
    func addReferenceRoutes() {
        let page = APIReference.page(document: prefix + "/openapi.json", script: prefix + "/docs/reference.js",
                                     style: prefix + "/docs/reference.css")
        let html = APIReference.hardened(.html(page)).adding(header: "content-security-policy", APIReference.contentSecurityPolicy)
        let script = APIReference.hardened(.javascript(APIReference.script))
        let style = APIReference.hardened(.bytes(Array(APIReference.style.utf8), contentType: "text/css; charset=utf-8"))
        open("GET", "/docs", "A readable reference of this API, rendered from its OpenAPI document", tag: "meta", answers: .html) { _, _ in html }
        open("GET", "/docs/reference.js", "The reference page's script", tag: "meta", answers: .text(mediaType: "text/javascript")) { _, _ in script }
        open("GET", "/docs/reference.css", "The reference page's style sheet", tag: "meta", answers: .text(mediaType: "text/css")) { _, _ in style }
    }
}
