import OzziRuntime

/// Browser sessions: the tokens as HttpOnly, Secure, SameSite cookies, on the whole origin, since the console's
/// pages (`/console`) and the API calls they make share one session. The refresh cookie is `Strict`: no other
/// site's link or form brings it along. Changes asked for with the access cookie carry a CSRF token
/// (`CSRFTokens`).
enum Cookies {
    /// The workspace a browser last chose in the console; the API called with the session cookie works in it too.
    static let workspace = "ozzi_workspace"

    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers.values("cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, String(parts[0]).trimmingPrefixAndSuffixSpaces() == name {
                    return String(String(parts[1]).trimmingPrefixAndSuffixSpaces())
                }
            }
        }
        return nil
    }

    static func set(_ tokens: SessionStore.Tokens, on response: inout Response) {
        response.headers.add("set-cookie", "ozzi_access=\(tokens.access_token); Path=/; Max-Age=\(SessionStore.accessTokenSeconds); HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=\(tokens.refresh_token); Path=/; Max-Age=\(SessionStore.sessionSeconds); HttpOnly; Secure; SameSite=Strict")
        expireOldPaths(on: &response)
    }

    static func clear(on response: inout Response) {
        response.headers.add("set-cookie", "ozzi_access=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
        expireOldPaths(on: &response)
    }

    /// Until December 2026 the access cookie lived on `/api` and the refresh cookie on `/api/v1/auth`. A browser
    /// that still holds those sends them first (the longer path) beside the new ones, and a stale refresh token
    /// presented again revokes its session: they are expired with every change of the session's cookies.
    private static func expireOldPaths(on response: inout Response) {
        response.headers.add("set-cookie", "ozzi_access=; Path=/api; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=; Path=/api/v1/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
    }
}
