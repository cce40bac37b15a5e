import OzziRuntime
import Synchronization

struct PortalKeyRingError: Error, CustomStringConvertible {
    var description: String { "no portal signing key could be read or made" }
}

/// The Ed25519 keys portal tokens are signed with, kept in the database (seeds sealed) so every host of a
/// cluster signs and verifies alike. The current key signs; when it is older than the rotation period the
/// maintenance sweep makes a new one, and the old one keeps verifying until every token it signed has
/// expired, then goes. Keys are named by `kid` in each token's header and published as a JWKS.
final class PortalKeyRing: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    private let sealingKey: [UInt8]
    /// How long a key signs before a new one takes over.
    let rotationMs: Int64
    /// How long a retired key still verifies: the access tokens' lifetime, and the hosts' leeway.
    let graceMs: Int64
    /// Keys read so far, by kid (opened seeds included once a key signed here), re-read after a minute so
    /// another host's retirement of a key is seen.
    private let cache = Mutex<[String: Cached]>([:])

    private struct Cached {
        let publicKey: [UInt8]
        let retiredMs: Int64?
        let readMs: Int64
    }

    struct Key: Sendable {
        let kid: String
        let publicKey: [UInt8]
        let createdMs: Int64
        let retiredMs: Int64?
    }

    init(database: any SQLDatabase, clock: any WallClock, sealingKey: [UInt8], rotationMs: Int64, accessTokenSeconds: Int64) {
        self.database = database
        self.clock = clock
        self.sealingKey = CredentialKey.derive(sealingKey, for: "portal-signing-keys")
        self.rotationMs = rotationMs
        graceMs = (accessTokenSeconds + PortalClaims.leewaySeconds) * 1000 + 60_000
    }

    /// The key to sign with now (made if there is none).
    func signer() async throws -> (kid: String, key: Ed25519Key) {
        for _ in 0..<2 {
            if let row = try await database.prepare("SELECT kid, seed_sealed FROM portal_signing_keys WHERE slot = 'current'").first(),
               let kid = row.text("kid"), let seed = CredentialKey.open(row.text("seed_sealed"), key: sealingKey).flatMap(Base64URL.decode) {
                return (kid, try Ed25519Key(seed: seed))
            }
            try await database.transaction { tx in _ = try self.insertCurrent(tx, now: self.clock.milliseconds) }
        }
        throw PortalKeyRingError()
    }

    /// The public key `kid` names, if it still verifies.
    func publicKey(kid: String) async throws -> [UInt8]? {
        let now = clock.milliseconds
        let cached = cache.withLock { $0[kid] }
        let entry: Cached
        if let cached, now - cached.readMs < 60_000 {
            entry = cached
        } else {
            guard let row = try await database.prepare("SELECT public_key, retired_ms FROM portal_signing_keys WHERE kid = ?").bind(kid).first(),
                  let publicKey = row.text("public_key").flatMap(Base64URL.decode) else {
                cache.withLock { _ = $0.removeValue(forKey: kid) }
                return nil
            }
            entry = Cached(publicKey: publicKey, retiredMs: row.integer("retired_ms"), readMs: now)
            cache.withLock { $0[kid] = entry }
        }
        if let retired = entry.retiredMs, now >= retired + graceMs { return nil }
        return entry.publicKey
    }

    /// The sweep's share: once the current key is `rotationMs` old, a new one signs and the old one is
    /// retired (it verifies for `graceMs` more); keys past their grace are deleted. Hosts sweeping at once
    /// retire the old key once and make one new key: the retiring update finds it current only once, and
    /// `slot` is unique.
    func maintain() async throws {
        let now = clock.milliseconds
        let rotated = try await database.transaction { tx -> Bool in
            guard try tx.run("UPDATE portal_signing_keys SET slot = NULL, retired_ms = ? WHERE slot = 'current' AND created_ms <= ?",
                             now, now - self.rotationMs).changes == 1 else { return false }
            return try self.insertCurrent(tx, now: now)
        }
        if rotated { cache.withLock { $0.removeAll() } }
        try await database.prepare("DELETE FROM portal_signing_keys WHERE retired_ms IS NOT NULL AND retired_ms < ?").bind(now - graceMs).run()
    }

    /// A new current key, unless another host's is already there; answers whether this one was made.
    private func insertCurrent(_ tx: SQLTransaction, now: Int64) throws -> Bool {
        let key = try Ed25519Key.generate()
        return try tx.run("""
            INSERT INTO portal_signing_keys (kid, slot, seed_sealed, public_key, created_at, created_ms) VALUES (?, 'current', ?, ?, ?, ?)
            ON CONFLICT (slot) DO NOTHING
            """, "pk_" + Base64URL.encode(Crypto.randomBytes(12)), CredentialKey.seal(Base64URL.encode(key.seed), key: sealingKey),
                   Base64URL.encode(key.publicKey), Timestamp.at(milliseconds: now), now).changes == 1
    }

    /// Every key that still verifies, newest first: the JWKS.
    func keys() async throws -> [Key] {
        let now = clock.milliseconds
        return try await database.prepare("""
            SELECT kid, public_key, created_ms, retired_ms FROM portal_signing_keys WHERE retired_ms IS NULL OR retired_ms >= ? ORDER BY created_ms DESC, kid DESC
            """).bind(now - graceMs).all().compactMap { row in
            guard let kid = row.text("kid"), let publicKey = row.text("public_key").flatMap(Base64URL.decode) else { return nil }
            return Key(kid: kid, publicKey: publicKey, createdMs: row.integer("created_ms") ?? 0, retiredMs: row.integer("retired_ms"))
        }
    }
}
