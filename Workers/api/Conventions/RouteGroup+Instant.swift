import OzziRuntime

extension RouteGroup {
    /// An instant filter (`?since=2026-12-01T09:00:00Z`), as the parameters' schema checked it, in stored
    /// form, so it compares with stored timestamps as text.
    static func instant(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.queryParameter(name) else { return nil }
        guard let ms = RFC3339.milliseconds(text) else { throw APIError.invalidField(name, "must be an RFC 3339 instant") }
        return Timestamp.at(milliseconds: ms)
    }
}
