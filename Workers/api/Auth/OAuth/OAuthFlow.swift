import FoundationEssentials
import OzziRuntime

/// The authorization-code flow with PKCE (S256) and `state`: the start builds the provider URL and keeps
/// the verifier in KV for ten minutes; the callback spends the state once, exchanges the code, and reads
/// the user's identity from the userinfo endpoint through the outbound binding.
struct OAuthFlow: Sendable {
    let providers: [String: OAuthProvider]
    let kv: any KVNamespace
    let outbound: OutboundFetcher

    struct State: Codable, Sendable {
        let provider: String
        let verifier: String
        /// Set when a signed-in user is linking this provider, or connecting a service of it (their calendar).
        let link_user_id: String?
        /// The workspace a connection is made in (Google Calendar).
        var workspace_id: String? = nil
        /// SHA-256 (hex) of a nonce the starting browser holds in a cookie: the callback must come from it.
        var binding: String? = nil
    }

    /// What a token endpoint answers (RFC 6749 5.1): a refresh token only when offline access was granted.
    struct Tokens: Sendable {
        let accessToken: String
        let refreshToken: String?
        let expiresIn: Int64
        let scope: String?
    }

    struct ExternalIdentity: Sendable, Equatable {
        let subject: String
        let email: String?
        let name: String?
    }

    func provider(_ name: String) throws -> OAuthProvider {
        guard let provider = providers[name] else { throw APIError.notFound("sign-in provider '\(name)'") }
        return provider
    }

    /// The URL to send the browser to.
    func start(_ provider: OAuthProvider, linking userID: String?, workspaceID: String? = nil, binding: String? = nil) async throws -> String {
        let state = Crypto.token()
        let verifier = Base64URL.encode(Crypto.randomBytes(32))
        let challenge = Base64URL.encode(Crypto.sha256(Array(verifier.utf8)))
        let saved = State(provider: provider.name, verifier: verifier, link_user_id: userID, workspace_id: workspaceID, binding: binding)
        try await kv.put("oauth_state:" + Crypto.sha256Hex(state), Array(try JSONCoding.encoder().encode(saved)),
                         options: KVPutOptions(expirationTtl: 600))
        var query: [(String, String)] = [
            ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", provider.redirectURI),
            ("scope", provider.scopes), ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        if provider.kind == .google { query += [("access_type", "offline"), ("prompt", "consent")] }
        return provider.authorizeURL + (provider.authorizeURL.contains("?") ? "&" : "?") + FormEncoding.encode(query)
    }

    /// Spends `state` (single use) and returns what it recorded. `accept` may refuse it first (the wrong
    /// browser): it is then left for the right one.
    func consume(state: String, provider: OAuthProvider, accept: (State) throws -> Void = { _ in }) async throws -> State {
        let key = "oauth_state:" + Crypto.sha256Hex(state)
        guard let bytes = try await kv.get(key),
              let saved = try? JSONCoding.decoder().decode(State.self, from: Data(bytes)) else {
            throw APIError.badRequest("the sign-in link expired or was already used; start again", code: "invalid_state")
        }
        try accept(saved)
        try await kv.delete(key)
        guard saved.provider == provider.name else { throw APIError.badRequest("the state belongs to another provider", code: "invalid_state") }
        return saved
    }

    /// Exchanges the code, with the PKCE verifier, for the provider's tokens.
    func tokens(_ provider: OAuthProvider, code: String, verifier: String) async throws -> Tokens {
        let form = FormEncoding.encode([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", provider.redirectURI),
            ("client_id", provider.clientID), ("client_secret", provider.clientSecret), ("code_verifier", verifier),
        ])
        let token = try await call(OutboundRequest(
            method: "POST", url: provider.tokenURL,
            headers: ["content-type": "application/x-www-form-urlencoded", "accept": "application/json"], body: Array(form.utf8)))
        guard let accessToken = token["access_token"]?.stringValue else {
            throw APIError(status: 502, code: "provider_error",
                           message: "\(provider.name) refused the code: \(token["error_description"]?.stringValue ?? token["error"]?.stringValue ?? "no access_token")")
        }
        return Tokens(accessToken: accessToken, refreshToken: token["refresh_token"]?.stringValue,
                      expiresIn: Self.lifetime(token["expires_in"]), scope: token["scope"]?.stringValue)
    }

    /// A token's `expires_in`, as seconds from 0 to a day (3600 when absent or not a number): a provider's
    /// odd value neither traps a conversion nor keeps a token for ever.
    static func lifetime(_ value: JSONValue?) -> Int64 {
        guard let seconds = value?.numberValue ?? value?.stringValue.flatMap(Double.init), seconds.isFinite else { return 3600 }
        return Int64(min(max(seconds, 0), 86_400))
    }

    /// Exchanges the code (with the PKCE verifier) and fetches the user's identity.
    func identity(_ provider: OAuthProvider, code: String, verifier: String) async throws -> ExternalIdentity {
        let accessToken = try await tokens(provider, code: code, verifier: verifier).accessToken
        let info = try await call(OutboundRequest(url: provider.userinfoURL, headers: [
            "authorization": "Bearer \(accessToken)", "accept": "application/json", "user-agent": "ozzi-edge",
        ]))
        let subject = info["sub"]?.stringValue ?? info["id"].map { value -> String in
            if case .number(let n) = value { return String(Int64(n)) }
            return value.stringValue ?? ""
        }
        guard let subject, !subject.isEmpty else {
            throw APIError(status: 502, code: "provider_error", message: "\(provider.name)'s userinfo has no subject")
        }
        // An email the provider has not verified is not used to name the account.
        let verified = info["email_verified"].map { $0 == .bool(true) || $0 == .string("true") } ?? (provider.kind == .github)
        return ExternalIdentity(subject: subject, email: verified ? info["email"]?.stringValue?.lowercased() : nil,
                                name: info["name"]?.stringValue)
    }

    private func call(_ request: OutboundRequest) async throws -> JSONValue {
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(request)
        } catch let error as OutboundError {
            throw APIError(status: 502, code: "provider_unreachable", message: error.description)
        }
        guard let json = try? JSONValue(jsonBytes: response.body) else {
            throw APIError(status: 502, code: "provider_error", message: "\(request.url) answered \(response.status) without JSON")
        }
        return json
    }
}
