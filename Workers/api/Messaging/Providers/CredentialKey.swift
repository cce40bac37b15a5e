import FoundationEssentials
import Glibc
import Logging
import OzziRuntime

/// The key provider credentials are sealed with: the `SMS_CREDENTIALS_KEY` secret (base64 of 32 bytes)
/// when the configuration declares it, else a key generated once into the worker's data folder (mode
/// 0600) so `ozzi serve` works out of the box — with a warning, since it then sits beside the data.
/// Hosts sharing one data folder (a cluster) share the key: the first to start writes it, and a host
/// starting at the same moment reads that one rather than writing its own.
enum CredentialKey {
    static func load(_ env: WorkerEnv) throws -> [UInt8] {
        if let secret = try? env.secret("SMS_CREDENTIALS_KEY") {
            guard let key = Base64.decode(secret), key.count == SealedBox.keyBytes else {
                throw APIError.badRequest("SMS_CREDENTIALS_KEY must be base64 of 32 random bytes (openssl rand -base64 32)")
            }
            return key
        }
        let path = env.dataDirectory + "/credentials.key"
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let key = Base64.decode(String(text.trimmingPrefixAndSuffixSpaces())),
           key.count == SealedBox.keyBytes {
            return key
        }
        let key = Crypto.randomBytes(SealedBox.keyBytes)
        // Written whole under a name of its own, then linked into place: link fails if another host's
        // key got there first, and a reader never sees a half-written file.
        let draft = path + ".\(getpid()).\(Base64URL.encode(Crypto.randomBytes(6)))"
        let fd = Glibc.open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXFailure(operation: "create \(draft)") }
        defer { unlink(draft) }
        let text = Array((Base64.encode(key) + "\n").utf8)
        guard write(fd, text, text.count) == text.count, fsync(fd) == 0 else {
            close(fd)
            throw POSIXFailure(operation: "write \(draft)")
        }
        close(fd)
        if link(draft, path) != 0 {
            guard errno == EEXIST, let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let theirs = Base64.decode(String(text.trimmingPrefixAndSuffixSpaces())), theirs.count == SealedBox.keyBytes else {
                throw POSIXFailure(operation: "link \(path)")
            }
            return theirs
        }
        env.logger.warning("no SMS_CREDENTIALS_KEY secret: generated a credentials key in the data folder; set the secret in production",
                           metadata: ["path": "\(path)"])
        return key
    }

    /// `text` sealed (AES-256-GCM) under `key`, as a database keeps it: base64.
    static func seal(_ text: String?, key: [UInt8]) -> String? {
        text.map { Base64.encode(SealedBox.seal(Array($0.utf8), key: key)) }
    }

    /// What `seal` sealed; nil when nothing was, or when it was sealed under another key or altered.
    static func open(_ sealed: String?, key: [UInt8]) -> String? {
        sealed.flatMap(Base64.decode).flatMap { SealedBox.open($0, key: key) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A key for one purpose, derived from the credentials key, so no two uses share a key.
    static func derive(_ key: [UInt8], for purpose: String) -> [UInt8] {
        Crypto.hmacSHA256(key: key, Array(purpose.utf8))
    }
}
