import OzziRuntime

extension Router {
    /// `GET /embed?key=`: the form's page, shown (a view counted, a submission token issued) on every load.
    /// The embedding page's address, its utm_* parameters and values for the form's hidden fields come in
    /// the query (the loader puts them there). `preview=1` is the console's builder showing it: no view is
    /// counted, and only a page of the host's own origin may frame it.
    mutating func addFormPageRoutes(_ directory: FormDirectory) {
        get("/embed") { request, _ in
            let preview = request.queryParameter("preview") == "1"
            guard let form = try await directory.show(key: request.queryParameter("key"), preview: preview) else { return FormPage.unavailable() }
            var utm: [String: String] = [:], hidden: [String: String] = [:]
            let hiddenKeys = Set(form.hiddenKeys)
            for (name, value) in request.queryParameters() where value.utf8.count <= 500 {
                if name.hasPrefix("utm_"), name.utf8.count <= 40, utm.count < 10 { utm[name] = value }
                if hiddenKeys.contains(name) { hidden[name] = value }
            }
            let page = request.queryParameter("page").map { String($0.prefix(2_000)) } ?? ""
            // The api keeps a referrer only if it is an http(s) address; here it is only written, escaped, into the page.
            let showing = FormPage.Showing(nonce: Base64URL.encode(Crypto.randomBytes(18)), page: page, utm: utm, hidden: hidden)
            return FormPage.response(form, showing, frameAncestors: preview ? "'self'" : nil)
        }
    }
}
