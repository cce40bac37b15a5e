import FoundationEssentials
import OzziRuntime

/// Issues and verifies portal access tokens: EdDSA JWTs from the key ring, `iss` the api's public URL,
/// `aud` the client portal's API, short-lived (`PORTAL_ACCESS_TOKEN_SECONDS`, 600 by default).
struct PortalTokens: Sendable {
    let keys: PortalKeyRing
    let issuer: String
    let audience: String
    let lifetimeSeconds: Int64
    let clock: any WallClock

    init(keys: PortalKeyRing, publicURL: String, lifetimeSeconds: Int64, clock: any WallClock) {
        self.keys = keys
        issuer = publicURL
        audience = publicURL + "/api/v1/client-portal"
        self.lifetimeSeconds = lifetimeSeconds
        self.clock = clock
    }

    /// An access token for `user`'s session `sessionID`.
    func issue(user: String, workspace: String, session: String) async throws -> String {
        let now = clock.milliseconds / 1000
        let claims = PortalClaims(iss: issuer, aud: audience, sub: user, ws: workspace, sid: session, iat: now, nbf: now,
                                  exp: now + lifetimeSeconds, jti: ResourceID.make("jti"))
        let (kid, key) = try await keys.signer()
        return try EdDSAToken.sign(payload: Array(try JSONEncoder().encode(claims)), kid: kid, key: key)
    }

    /// The claims of a token this portal signed and that holds now; else why not, for the 401.
    func verify(_ token: String) async throws -> Result<PortalClaims, PortalTokenRefusal> {
        let unverified: EdDSAToken.Unverified
        switch EdDSAToken.parse(token) {
        case .failure(let refusal): return .failure(.token(refusal.description))
        case .success(let parsed): unverified = parsed
        }
        guard let publicKey = try await keys.publicKey(kid: unverified.kid) else { return .failure(.token("the token's key is unknown or retired")) }
        guard let payload = unverified.verified(with: publicKey) else { return .failure(.token("the token's signature does not verify")) }
        guard let claims = PortalClaims.decode(payload) else { return .failure(.claims(.malformed)) }
        if let refusal = claims.check(issuer: issuer, audience: audience, now: clock.milliseconds / 1000) { return .failure(.claims(refusal)) }
        return .success(claims)
    }
}

/// Why a portal token was refused: answered in the 401.
enum PortalTokenRefusal: Error, Equatable, CustomStringConvertible {
    case token(String)
    case claims(PortalClaims.Refusal)

    var description: String {
        switch self {
        case .token(let why): why
        case .claims(let refusal): refusal.description
        }
    }
}
