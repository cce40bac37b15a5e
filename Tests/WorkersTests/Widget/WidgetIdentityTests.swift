import OzziRuntime
import Testing
@testable import APIWorker

/// Signed identities: what the customer's server signs (user id, email, expiry) is what verifies; a
/// signature moved to another email, an expired or far-future one, or a malformed one is refused.
@Suite struct WidgetIdentityTests {
    let secret = "wsec_test-secret"
    let now: Int64 = 1_800_000_000

    func identity(user: String = "u-1", email: String? = "ada@example.com", expires: Int64? = nil, signature: String? = nil) -> JSONValue {
        let expiresAt = expires ?? now + 600
        var fields: [String: JSONValue] = ["user_id": .string(user), "expires_at": .number(Double(expiresAt)), "name": "Ada",
                                           "signature": .string(signature ?? WidgetIdentity.sign(secret: secret, userID: user, email: email, expiresAt: expiresAt))]
        if let email { fields["email"] = .string(email) }
        return .object(fields)
    }

    func verify(_ value: JSONValue) -> Result<WidgetIdentity, WidgetIdentity.Refusal> {
        WidgetIdentity.read(value).flatMap { $0.verify(secret: secret, now: now) }
    }

    /// The signature is HMAC-SHA256 over "v1\nuser\nemail\nexpires", hex: a known answer a customer's
    /// server (any language) can check its code against.
    @Test func knownAnswer() {
        let expected = Crypto.hex(Crypto.hmacSHA256(key: Array("wsec_test-secret".utf8), Array("v1\nu-1\nada@example.com\n1800000600".utf8)))
        #expect(WidgetIdentity.sign(secret: secret, userID: "u-1", email: "ada@example.com", expiresAt: 1_800_000_600) == expected)
        #expect(expected.count == 64)
    }

    @Test func aSignedIdentityVerifies() throws {
        let verified = try verify(identity()).get()
        #expect(verified.userID == "u-1" && verified.email == "ada@example.com" && verified.name == "Ada")
        #expect(try verify(identity(email: nil)).get().email == nil)
    }

    @Test func aSignatureMovedToAnotherEmailOrUserFails() throws {
        guard case .object(var fields) = identity() else { return }
        fields["email"] = "boss@example.com"
        #expect(verify(.object(fields)) == .failure(.badSignature))
        guard case .object(var other) = identity() else { return }
        other["user_id"] = "u-2"
        #expect(verify(.object(other)) == .failure(.badSignature))
        #expect(WidgetIdentity.read(identity()).flatMap { $0.verify(secret: "wsec_other", now: now) } == .failure(.badSignature))
    }

    @Test func expiryBoundsReplay() {
        #expect(verify(identity(expires: now - 1)) == .failure(.expired))
        #expect(verify(identity(expires: now)) == .failure(.expired))
        #expect(verify(identity(expires: now + 86_401)) == .failure(.tooLong))
        #expect((try? verify(identity(expires: now + 86_400)).get()) != nil)
    }

    @Test func malformedIdentitiesAreRefusedNotTrusted() {
        #expect(verify("u-1") == .failure(.malformed("not an object")))
        #expect(verify(["expires_at": 1, "signature": .string(String(repeating: "0", count: 64))]) == .failure(.malformed("user_id must be 1-200 characters")))
        #expect(verify(["user_id": "u", "signature": .string(String(repeating: "0", count: 64))]) == .failure(.malformed("expires_at must be Unix seconds")))
        #expect(verify(["user_id": "u", "expires_at": 1.5, "signature": "00"]) == .failure(.malformed("expires_at must be Unix seconds")))
        #expect(verify(["user_id": "u", "expires_at": 1, "signature": "00"]) == .failure(.malformed("signature must be 64 hex digits")))
        #expect(verify(identity(user: "u\nx")) == .failure(.malformed("user_id and email are single lines")))
    }
}
