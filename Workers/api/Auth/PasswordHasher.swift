import OzziRuntime

/// scrypt password hashes with a per-user salt, encoded `scrypt$N$r$p$salt$hash` (base64url), computed on
/// the blocking pool. `n` comes from the `SCRYPT_N` var (default 2^15, about 32 MiB and tens of ms).
struct PasswordHasher: Sendable {
    let n: UInt64
    let r: UInt64 = 8
    let p: UInt64 = 1

    func hash(_ password: String) async throws -> String {
        let salt = Crypto.randomBytes(16)
        let (n, r, p) = (self.n, self.r, self.p)
        let key = try await BlockingPool.shared.run {
            Crypto.scrypt(password: Array(password.utf8), salt: salt, n: n, r: r, p: p, length: 32)
        }
        guard let key else { throw PasswordHashingFailed() }
        return "scrypt$\(n)$\(r)$\(p)$\(Base64URL.encode(salt))$\(Base64URL.encode(key))"
    }

    /// Checks `password` against an encoded hash in constant time. With no hash (no such user), a dummy
    /// hash is still computed, so timing does not tell which emails have accounts.
    func verify(_ password: String, against encoded: String?) async throws -> Bool {
        let parts = (encoded ?? "").split(separator: "$").map(String.init)
        let stored = parts.count == 6 && parts[0] == "scrypt" ? parts : nil
        let n = stored.flatMap { UInt64($0[1]) } ?? self.n
        let r = stored.flatMap { UInt64($0[2]) } ?? self.r
        let p = stored.flatMap { UInt64($0[3]) } ?? self.p
        let salt = stored.flatMap { Base64URL.decode($0[4]) } ?? Array(repeating: 0, count: 16)
        let expected = stored.flatMap { Base64URL.decode($0[5]) } ?? Array(repeating: 0, count: 32)
        let key = try await BlockingPool.shared.run {
            Crypto.scrypt(password: Array(password.utf8), salt: salt, n: n, r: r, p: p, length: expected.count)
        }
        guard let key else { throw PasswordHashingFailed() }
        return Crypto.constantTimeEquals(key, expected) && stored != nil
    }

    struct PasswordHashingFailed: Error {}
}
