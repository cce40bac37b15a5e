import COpenSSL

/// An Ed25519 key pair (RFC 8032) through OpenSSL's EVP API: generated, kept as its 32-byte seed, and
/// EdDSA signatures, which JWTs name `EdDSA` (RFC 8037). Deterministic signatures, and no parameter a
/// token could choose: why the client portal signs with it.
///
/// Immutable once made; OpenSSL allows signing with one `EVP_PKEY` from several threads at once.
public final class Ed25519Key: @unchecked Sendable {
    private let key: OpaquePointer
    /// The 32-byte public key (a JWK's `x`).
    public let publicKey: [UInt8]

    private init(_ key: OpaquePointer) throws(Ed25519KeyError) {
        self.key = key
        var length = 32
        var bytes = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_public_key(key, &bytes, &length) == 1, length == 32 else {
            EVP_PKEY_free(key)
            throw .openSSL("EVP_PKEY_get_raw_public_key")
        }
        publicKey = bytes
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// A new key pair from OpenSSL's CSPRNG.
    public static func generate() throws(Ed25519KeyError) -> Ed25519Key {
        try Ed25519Key(seed: Crypto.randomBytes(32))
    }

    /// The key pair of a 32-byte seed (what `seed` answers).
    public convenience init(seed: [UInt8]) throws(Ed25519KeyError) {
        guard seed.count == 32 else { throw .badLength(seed.count) }
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32) else { throw .openSSL("EVP_PKEY_new_raw_private_key") }
        try self.init(key)
    }

    /// The private seed: seal it before storing.
    public var seed: [UInt8] {
        var length = 32
        var bytes = [UInt8](repeating: 0, count: 32)
        precondition(EVP_PKEY_get_raw_private_key(key, &bytes, &length) == 1 && length == 32, "reading an Ed25519 key failed")
        return bytes
    }

    /// The 64-byte signature of `message`.
    public func sign(_ message: [UInt8]) throws(Ed25519KeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally: no digest is named.
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { throw .openSSL("EVP_DigestSignInit") }
        var length = 64
        var signature = [UInt8](repeating: 0, count: 64)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64 else { throw .openSSL("EVP_DigestSign") }
        return signature
    }

    /// Whether `signature` is the signature of `message` by the key whose public half is `publicKey`.
    public static func verify(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey, 32) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        defer { ERR_clear_error() }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, 64, message, message.count) == 1
    }
}

/// Why an Ed25519 key could not be made or used.
public enum Ed25519KeyError: Error, Equatable, CustomStringConvertible {
    case badLength(Int)
    case openSSL(String)

    public var description: String {
        switch self {
        case .badLength(let count): "an Ed25519 seed is 32 bytes, not \(count)"
        case .openSSL(let call): "\(call) failed"
        }
    }
}
