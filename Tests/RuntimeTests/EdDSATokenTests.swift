import Foundation
import Testing
@testable import OzziRuntime

/// Ed25519 against RFC 8032's test vectors, and the JWT form's strict header: only EdDSA, a kid, no keys
/// or extensions named by the token itself.
@Suite struct EdDSATokenTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    /// RFC 8032 §7.1, tests 1 and 2.
    @Test func signsAsRFC8032Says() throws {
        let one = try Ed25519Key(seed: Self.bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(one.publicKey == Self.bytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let empty = try one.sign([])
        #expect(empty == Self.bytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        #expect(Ed25519Key.verify(empty, of: [], publicKey: one.publicKey))

        let two = try Ed25519Key(seed: Self.bytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
        #expect(two.publicKey == Self.bytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
        let signature = try two.sign([0x72])
        #expect(signature == Self.bytes("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"))
        #expect(!Ed25519Key.verify(signature, of: [0x73], publicKey: two.publicKey), "another message")
        #expect(!Ed25519Key.verify(signature, of: [0x72], publicKey: one.publicKey), "another key")
        #expect(!Ed25519Key.verify(Array(signature.dropLast()), of: [0x72], publicKey: two.publicKey), "a short signature")
        #expect(throws: Ed25519KeyError.badLength(31)) { try Ed25519Key(seed: Array(repeating: 1, count: 31)) }
        #expect(try Ed25519Key(seed: try Ed25519Key.generate().seed).publicKey.count == 32)
    }

    @Test func aSignedTokenParsesAndVerifiesWithItsKeyOnly() throws {
        let key = try Ed25519Key.generate(), other = try Ed25519Key.generate()
        let token = try EdDSAToken.sign(payload: Array(#"{"sub":"pru_1"}"#.utf8), kid: "pk_a", key: key)
        let parsed = try EdDSAToken.parse(token).get()
        #expect(parsed.kid == "pk_a")
        #expect(parsed.verified(with: key.publicKey) == Array(#"{"sub":"pru_1"}"#.utf8))
        #expect(parsed.verified(with: other.publicKey) == nil)

        // A payload changed after signing.
        let parts = token.split(separator: ".").map(String.init)
        let forged = [parts[0], Base64URL.encode(Array(#"{"sub":"pru_2"}"#.utf8)), parts[2]].joined(separator: ".")
        #expect(try EdDSAToken.parse(forged).get().verified(with: key.publicKey) == nil)
    }

    @Test func refusesOtherAlgorithmsAndHeadersThatBringTheirOwnKeys() throws {
        let payload = Base64URL.encode(Array(#"{"sub":"pru_1"}"#.utf8))
        func token(_ header: String, signature: String = "AAAA") -> String {
            Base64URL.encode(Array(header.utf8)) + "." + payload + "." + signature
        }
        #expect(refusal(token(#"{"alg":"none","kid":"pk_a"}"#, signature: "")) == .algorithm("none"))
        #expect(refusal(token(#"{"alg":"HS256","kid":"pk_a"}"#)) == .algorithm("HS256"))
        #expect(refusal(token(#"{"alg":"RS256","kid":"pk_a"}"#)) == .algorithm("RS256"))
        #expect(refusal(token(#"{"kid":"pk_a"}"#)) == .algorithm(""))
        #expect(refusal(token(#"{"alg":"EdDSA"}"#)) == .malformed("no kid"))
        #expect(refusal(token(#"{"alg":"EdDSA","kid":"pk_a","jwk":{"kty":"OKP"}}"#)) == .malformed("the header names keys or extensions of its own"))
        #expect(refusal(token(#"{"alg":"EdDSA","kid":"pk_a","jku":"https://evil.example/jwks"}"#)) == .malformed("the header names keys or extensions of its own"))
        #expect(refusal(token(#"{"alg":"EdDSA","kid":"pk_a","crit":["exp"]}"#)) == .malformed("the header names keys or extensions of its own"))
        #expect(refusal(token(#"{"alg":"EdDSA","kid":"pk_a","typ":"at+jwt+x"}"#)) == .malformed("typ is 'at+jwt+x', not JWT"))
        #expect(refusal("a.b") == .malformed("not three dot-separated parts"))
        #expect(refusal("!!!.\(payload).AAAA") == .malformed("the header is not base64url JSON"))
        #expect(refusal(String(repeating: "a", count: 5000)) == .malformed("longer than 4096 bytes"))
    }

    private func refusal(_ token: String) -> EdDSAToken.Refusal? {
        if case .failure(let refusal) = EdDSAToken.parse(token) { return refusal }
        return nil
    }
}
