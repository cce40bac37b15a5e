import FoundationEssentials

/// A JSON Web Token in compact form (RFC 7519 over RFC 7515) signed with EdDSA (RFC 8037), the one
/// algorithm this type makes or accepts. The header is read strictly before any key is looked up: `alg`
/// must be `EdDSA` (so no `none`, and no HMAC "signed" with a public key), `kid` must name a key, and a
/// header pointing elsewhere for keys (`jku`, `jwk`, `x5u`, `x5c`) or declaring extensions (`crit`) is
/// refused: the verifier's own key ring is the only source of keys.
public enum EdDSAToken {
    public static let algorithm = "EdDSA"

    /// `payload` (the claims, as JSON) signed by `key` under the key id `kid`.
    public static func sign(payload: [UInt8], kid: String, key: Ed25519Key) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let header = Base64URL.encode(Array(try encoder.encode(["alg": algorithm, "typ": "JWT", "kid": kid])))
        let signingInput = header + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(try key.sign(Array(signingInput.utf8)))
    }

    /// A token whose header passed, not yet verified: find the key `kid` names, then `verified(with:)`.
    public struct Unverified: Sendable {
        public let kid: String
        let signingInput: [UInt8]
        let signature: [UInt8]
        let payload: [UInt8]

        /// The payload (the claims' JSON) when the signature is `publicKey`'s; nil otherwise.
        public func verified(with publicKey: [UInt8]) -> [UInt8]? {
            Ed25519Key.verify(signature, of: signingInput, publicKey: publicKey) ? payload : nil
        }
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case algorithm(String)

        public var description: String {
            switch self {
            case .malformed(let why): "the token is malformed: \(why)"
            case .algorithm(let alg): "the token's algorithm is \(alg.isEmpty ? "missing" : "'\(alg)'"); only EdDSA is accepted"
            }
        }
    }

    private struct Header: Decodable {
        let alg: String?
        let kid: String?
        let typ: String?
        let crit: JSONValue?
        let jku: JSONValue?
        let jwk: JSONValue?
        let x5u: JSONValue?
        let x5c: JSONValue?
    }

    /// Splits `token` and checks its header; the signature is checked by `Unverified.verified(with:)`.
    public static func parse(_ token: String) -> Result<Unverified, Refusal> {
        // Tokens are short; a long one is refused before any decoding.
        guard token.utf8.count <= 4096 else { return .failure(.malformed("longer than 4096 bytes")) }
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("not three dot-separated parts")) }
        guard let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
              let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else {
            return .failure(.malformed("the header is not base64url JSON"))
        }
        guard header.alg == algorithm else { return .failure(.algorithm(header.alg ?? "")) }
        guard header.crit == nil, header.jku == nil, header.jwk == nil, header.x5u == nil, header.x5c == nil else {
            return .failure(.malformed("the header names keys or extensions of its own"))
        }
        if let typ = header.typ, typ.uppercased() != "JWT" { return .failure(.malformed("typ is '\(typ)', not JWT")) }
        guard let kid = header.kid, !kid.isEmpty, kid.utf8.count <= 128 else { return .failure(.malformed("no kid")) }
        guard let payload = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
              let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)) else {
            return .failure(.malformed("the payload or signature is not base64url"))
        }
        let signingInput = Array(token.utf8.prefix(parts[0].count + 1 + parts[1].count))
        return .success(Unverified(kid: kid, signingInput: signingInput, signature: signature, payload: payload))
    }
}
