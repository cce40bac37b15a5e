import OzziRuntime

/// A form the console posted (`application/x-www-form-urlencoded`), accepted only with its CSRF token:
/// the session's (`CSRFTokens`) once signed in; before that (sign-in, sign-up), the random one the page set
/// in the `ozzi_csrf` cookie, which another site can neither read nor set (a double-submit token).
struct ConsoleForm: Sendable {
    let fields: [String: String]

    static let anonymousCookie = "ozzi_csrf"

    /// The form of a signed-in page; a script's call may carry the token in `X-CSRF-Token` instead.
    init(_ request: Request, viewer: ConsoleViewer, csrf: CSRFTokens) throws {
        fields = FormEncoding.firstValues(request.text)
        let presented = fields[CSRFTokens.field] ?? request.headers[CSRFTokens.header]
        guard csrf.accepts(presented, sessionID: viewer.principal.sessionID ?? "") else { throw Self.refused }
    }

    /// The form of a signed-out page (sign-in, sign-up).
    init(anonymous request: Request) throws {
        fields = FormEncoding.firstValues(request.text)
        guard let cookie = Cookies.value(Self.anonymousCookie, in: request), let presented = fields[CSRFTokens.field],
              Crypto.constantTimeEquals(Array(cookie.utf8), Array(presented.utf8)) else { throw Self.refused }
    }

    static let refused = APIError(status: 403, code: "csrf_token_invalid",
                                  message: "this form is out of date or was sent from another site: reload the page and try again")

    /// A field's text, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingASCIISpaces(), !value.isEmpty else { return nil }
        return String(value)
    }

    /// A fresh anonymous token and the cookie that carries it, for a signed-out page's form.
    static func anonymousToken() -> (token: String, cookie: String) {
        let token = Crypto.token(bytes: 24)
        return (token, "\(anonymousCookie)=\(token); Path=/console; Max-Age=3600; HttpOnly; Secure; SameSite=Strict")
    }
}
