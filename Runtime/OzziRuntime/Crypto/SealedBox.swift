import COpenSSL

/// AES-256-GCM authenticated encryption for secrets kept at rest (provider credentials):
/// `nonce (12) | ciphertext | tag (16)`. A wrong key or a changed byte fails to open.
public enum SealedBox {
    public static let keyBytes = 32

    public static func seal(_ plaintext: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count == keyBytes, "AES-256-GCM needs a 32-byte key")
        let nonce = Crypto.randomBytes(12)
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0, total = 0
        EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce)
        if !plaintext.isEmpty {
            EVP_EncryptUpdate(context, &out, &length, plaintext, Int32(plaintext.count))
            total = Int(length)
        }
        out.withUnsafeMutableBufferPointer { buffer in
            _ = EVP_EncryptFinal_ex(context, buffer.baseAddress! + total, &length)
        }
        total += Int(length)
        var tag = [UInt8](repeating: 0, count: 16)
        EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag)
        return nonce + out.prefix(total) + tag
    }

    /// The plaintext, or nil when the box was not sealed with `key` or was altered.
    public static func open(_ box: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard key.count == keyBytes, box.count >= 28 else { return nil }
        let nonce = Array(box.prefix(12)), tag = Array(box.suffix(16)), ciphertext = Array(box[12..<(box.count - 16)])
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0, total = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { return nil }
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(context, &out, &length, ciphertext, Int32(ciphertext.count)) == 1 else { return nil }
            total = Int(length)
        }
        var expected = tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, &expected) == 1 else { return nil }
        let ok = out.withUnsafeMutableBufferPointer { buffer in EVP_DecryptFinal_ex(context, buffer.baseAddress! + total, &length) }
        guard ok == 1 else { return nil }
        return Array(out.prefix(total + Int(length)))
    }
}
