import OzziRuntime

/// A list page's link to the next: the same address with the page's `next_cursor`, keeping its filters and
/// dropping what only this answer meant (`drop`: a results part, a notice).
enum NextPageLink {
    static func html(_ path: String, request: Request, cursor: String?, label: String, drop: Set<String> = []) -> HTML {
        guard let cursor else { return .empty }
        var query = request.queryParameters().filter { $0.name != "cursor" && !drop.contains($0.name) }.map { ($0.name, $0.value) }
        query.append(("cursor", cursor))
        return "<p><a href=\"\(path)?\(FormEncoding.encode(query))\">\(label)</a></p>"
    }
}
