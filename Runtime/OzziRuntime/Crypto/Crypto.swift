import COpenSSL
import Synchronization

/// The cryptography workers need, through OpenSSL: random bytes, SHA-256, HMAC, scrypt, constant-time
/// comparison, and URL-safe base64 for tokens.
public enum Crypto {
    /// `count` bytes from OpenSSL's CSPRNG. Small reads come from a pool drawn 4 KiB at a time: each
    /// `RAND_bytes` call costs about a microsecond of locking and provider dispatch whatever its size, and
    /// a sent email takes several ids and tokens. Each pooled byte is handed out once.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        guard count <= RandomPool.size / 16 else { return freshRandomBytes(count) }
        return randomPool.withLock { $0.take(count) }
    }

    private static let randomPool = Mutex(RandomPool())

    private struct RandomPool: ~Copyable {
        static let size = 4096
        private var bytes = [UInt8](repeating: 0, count: size)
        private var used = size

        mutating func take(_ count: Int) -> [UInt8] {
            if used + count > Self.size {
                bytes = Crypto.freshRandomBytes(Self.size)
                used = 0
            }
            defer {
                // Zeroed once handed out, so nothing later (a core dump) can read what was given.
                for index in used..<(used + count) { bytes[index] = 0 }
                used += count
            }
            return Array(bytes[used..<(used + count)])
        }
    }

    private static func freshRandomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&bytes, Int32(count)) == 1, "the system's random source failed")
        return bytes
    }

    /// A random token: `bytes` of entropy as URL-safe base64, behind `prefix`.
    public static func token(prefix: String = "", bytes: Int = 32) -> String {
        prefix + Base64URL.encode(randomBytes(bytes))
    }

    /// (Through the digest fetched once: OpenSSL 3's one-call `SHA256()` looks the algorithm up on every
    /// call, as `HMAC()` does; a request with an API key hashes it.)
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Digest.sha256.hash(bytes)
    }

    /// SHA-1, for protocols that name things by it (WebSocket accept keys, Redis script digests); never for secrets.
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        Digest.sha1.hash(bytes)
    }

    /// Lower-case hex SHA-256 of the UTF-8 text: how tokens and keys are stored.
    public static func sha256Hex(_ text: String) -> String {
        hex(sha256(Array(text.utf8)))
    }

    public static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        hmac(Digest.sha256, key: key, message)
    }

    public static func hmacSHA1(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        hmac(Digest.sha1, key: key, message)
    }

    /// Digest implementations fetched once. OpenSSL 3's one-call `HMAC()` looks its algorithms up on
    /// every call (1.5 µs for a 60-byte message, against 0.24 µs for the hashing itself), and a form
    /// submission, a sent email or a signed webhook each take several.
    private struct Digest: @unchecked Sendable {
        let md: OpaquePointer
        let blockSize: Int
        static let sha256 = Digest(name: "SHA256")
        static let sha1 = Digest(name: "SHA1")

        private init(name: String) {
            guard let md = EVP_MD_fetch(nil, name, nil) else { fatalError("OpenSSL has no \(name)") }
            self.md = md
            blockSize = Int(EVP_MD_get_block_size(md))
        }

        func hash(_ parts: [UInt8]...) -> [UInt8] {
            let context = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(context) }
            return hash(context, parts)
        }

        /// The digest of `parts` in a context the caller owns (and may use again: initializing resets it).
        func hash(_ context: OpaquePointer?, _ parts: [[UInt8]]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            EVP_DigestInit_ex2(context, md, nil)
            for part in parts { EVP_DigestUpdate(context, part, part.count) }
            EVP_DigestFinal_ex(context, &out, &length)
            out.removeLast(out.count - Int(length))
            return out
        }
    }

    /// HMAC (RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)), K the key padded to the block size
    /// (hashed first when longer). Both hashes share one context: a webhook's signature, an email's links
    /// and a form's token each take one or more, and the context's allocation was most of the cost.
    private static func hmac(_ digest: Digest, key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var block = key.count > digest.blockSize ? digest.hash(context, [key]) : key
        block += [UInt8](repeating: 0, count: digest.blockSize - block.count)
        var pad = block
        for index in pad.indices { pad[index] ^= 0x36 }
        let inner = digest.hash(context, [pad, message])
        for index in pad.indices { pad[index] = block[index] ^ 0x5c }
        return digest.hash(context, [pad, inner])
    }

    /// scrypt (RFC 7914). Memory is `128 * r * n` bytes; OpenSSL's limit is raised to fit.
    public static func scrypt(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int) -> [UInt8]? {
        var key = [UInt8](repeating: 0, count: length)
        let memory = 128 * r * n + 128 * r * p + 1024 * 1024
        let ok = EVP_PBE_scrypt(password.map { CChar(bitPattern: $0) }, password.count, salt, salt.count, n, r, p, memory, &key, length)
        return ok == 1 ? key : nil
    }

    /// Compares in time that depends only on the lengths, not on where the bytes differ.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.isEmpty || CRYPTO_memcmp(a, b, a.count) == 0
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// URL-safe base64 without padding (RFC 4648 §5), for tokens and PKCE.
public enum Base64URL {
    // Byte-wise: mapping the text as Characters walked grapheme clusters, 3% of a campaign email's CPU.
    public static func encode(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var out = [UInt8](repeating: 0, count: 4 * ((bytes.count + 2) / 3) + 1)
        var count = Int(EVP_EncodeBlock(&out, bytes, Int32(bytes.count)))
        while count > 0, out[count - 1] == UInt8(ascii: "=") { count -= 1 }
        for i in 0..<count {
            if out[i] == UInt8(ascii: "+") { out[i] = UInt8(ascii: "-") } else if out[i] == UInt8(ascii: "/") { out[i] = UInt8(ascii: "_") }
        }
        return String(decoding: out[0..<count], as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var standard = text.utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "+") : $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        return Base64.decode(String(decoding: standard, as: UTF8.self))
    }
}
