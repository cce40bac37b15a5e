import OzziRuntime

/// Browser sessions: the tokens as HttpOnly, Secure, SameSite cookies. The refresh cookie is sent only
/// to the auth routes.
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
        response.headers.add("set-cookie", "ozzi_access=\(tokens.access_token); Path=/api; Max-Age=\(SessionStore.accessTokenSeconds); HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=\(tokens.refresh_token); Path=/api/v1/auth; Max-Age=\(SessionStore.sessionSeconds); HttpOnly; Secure; SameSite=Strict")
    }

    static func clear(on response: inout Response) {
        response.headers.add("set-cookie", "ozzi_access=; Path=/api; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
        response.headers.add("set-cookie", "ozzi_refresh=; Path=/api/v1/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
    }
}
