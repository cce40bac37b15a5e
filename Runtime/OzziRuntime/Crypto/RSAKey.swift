import COpenSSL

/// An RSA private key through OpenSSL's EVP API: generated, kept as PEM, its public half as DER
/// SubjectPublicKeyInfo (what a DKIM record's `p=` holds), and RSA-SHA256 (PKCS#1 v1.5) signatures.
///
/// Immutable once made; OpenSSL allows signing with one `EVP_PKEY` from several threads at once.
public final class RSAKey: @unchecked Sendable {
    private let key: OpaquePointer

    private init(_ key: OpaquePointer) {
        self.key = key
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// A new key pair of `bits` bits (2048 unless asked), from OpenSSL's CSPRNG.
    public static func generate(bits: Int = 2048) throws(RSAKeyError) -> RSAKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else { throw .openSSL("EVP_PKEY_CTX_new_id", lastError()) }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1,
              EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw .openSSL("RSA key generation", lastError())
        }
        return RSAKey(key)
    }

    /// Reads a PEM private key (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`); anything but RSA is refused.
    public convenience init(pem: String) throws(RSAKeyError) {
        let bytes = Array(pem.utf8)
        let bio = bytes.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        guard let bio else { throw .openSSL("BIO_new_mem_buf", Self.lastError()) }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { throw .invalidPEM(Self.lastError()) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            EVP_PKEY_free(key)
            throw .notRSA
        }
        self.init(key)
    }

    /// The modulus size in bits.
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted: seal it before storing.
    public var pem: String {
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        precondition(PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1, "writing an RSA key to memory failed")
        var data: UnsafeMutablePointer<CChar>?
        let count = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)  // BIO_get_mem_data, a macro Swift cannot call
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }

    /// The public key as DER SubjectPublicKeyInfo.
    public var publicKeyDER: [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let count = i2d_PUBKEY(key, &out)
        precondition(count > 0, "encoding an RSA public key failed")
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(count)))
    }

    /// `publicKeyDER` in standard base64: a DKIM record's `p=` value.
    public var publicKeyBase64: String { Base64.encode(publicKeyDER) }

    /// The RSASSA-PKCS1-v1_5 signature of SHA-256(`message`) (DKIM's `rsa-sha256`).
    public func signSHA256(_ message: [UInt8]) throws(RSAKeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new", Self.lastError()) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw .openSSL("EVP_DigestSignInit", Self.lastError()) }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { throw .openSSL("EVP_DigestSign", Self.lastError()) }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else { throw .openSSL("EVP_DigestSign", Self.lastError()) }
        return Array(signature.prefix(length))
    }

    /// OpenSSL's most recent error on this thread, as text (and the thread's error queue cleared).
    private static func lastError() -> String {
        let code = ERR_get_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return "no OpenSSL error recorded" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Why an RSA key could not be made, read or used.
public enum RSAKeyError: Error, Equatable, CustomStringConvertible {
    case invalidPEM(String)
    case notRSA
    case openSSL(String, String)

    public var description: String {
        switch self {
        case .invalidPEM(let reason): "not a PEM private key: \(reason)"
        case .notRSA: "the PEM key is not an RSA key"
        case .openSSL(let call, let reason): "\(call) failed: \(reason)"
        }
    }
}
