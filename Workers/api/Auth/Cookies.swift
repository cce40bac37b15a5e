import OzziRuntime

/// Browser sessions: the tokens as HttpOnly, Secure, SameSite cookies, on the whole origin, since the console's
/// pages (`/console`) and the API calls they make share one session. The refresh cookie is `Strict`: no other
/// site's link or form brings it along. Changes asked for with the access cookie carry a CSRF token
/// (`CSRFTokens`).
enum Cookies {
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
    }

    static func clear(on response: inout Response) {
        response.headers.add("set-cookie", "ozzi_access=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
    }
}
