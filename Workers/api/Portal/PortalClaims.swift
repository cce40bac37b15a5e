import FoundationEssentials
import OzziRuntime

/// What a portal access token says: who (`sub`, a portal user), where (`ws`), which signed-in device
/// (`sid`), for whom (`aud`, the portal's API) and until when. `check` decides, without I/O, whether a
/// verified token's claims are acceptable now; `PortalAuthenticator` then confirms the session still stands.
struct PortalClaims: Codable, Equatable, Sendable {
    let iss: String
    let aud: String
    let sub: String
    let ws: String
    let sid: String
    let iat: Int64
    let nbf: Int64?
    let exp: Int64
    let jti: String

    /// How far the clocks of two hosts may disagree.
    static let leewaySeconds: Int64 = 30

    enum Refusal: Error, Equatable {
        case issuer, audience, expired, notYetValid, malformed
    }

    /// Whether the claims hold at `now` (seconds) for a token of `issuer` meant for `audience`.
    func check(issuer: String, audience: String, now: Int64) -> Refusal? {
        guard iss == issuer else { return .issuer }
        guard aud == audience else { return .audience }
        guard exp > iat, !sub.isEmpty, !ws.isEmpty, !sid.isEmpty else { return .malformed }
        guard now < exp + Self.leewaySeconds else { return .expired }
        guard now + Self.leewaySeconds >= max(iat, nbf ?? iat) else { return .notYetValid }
        return nil
    }

    /// Decodes a verified payload; nil when it is not these claims (a missing or mistyped one).
    static func decode(_ payload: [UInt8]) -> PortalClaims? {
        try? JSONDecoder().decode(PortalClaims.self, from: Data(payload))
    }
}

extension PortalClaims.Refusal: CustomStringConvertible {
    var description: String {
        switch self {
        case .issuer: "the token was not issued by this portal"
        case .audience: "the token is not meant for the client portal"
        case .expired: "the access token expired; refresh it"
        case .notYetValid: "the token is not valid yet"
        case .malformed: "the token's claims are incomplete"
        }
    }
}
