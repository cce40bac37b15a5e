import Foundation

/// Tests/clients/smtp_server.py (aiosmtpd) on a loopback port, with a self-signed certificate for
/// 127.0.0.1 made by openssl; what it received read back from the files it saves.
public final class LocalSMTPServer: Sendable {
    public enum Mode: String, Sendable { case starttls, tls, plain }

    public let port: Int
    public let folder: String
    /// The server's certificate: the CA file a client must trust.
    public let caFile: String
    public static let user = "relay-user", password = "relay-pass-\u{e9}"
    private let process: ChildProcess

    public static func start(_ mode: Mode) async throws -> LocalSMTPServer {
        let folder = NSTemporaryDirectory() + "ozzi-smtp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cert = folder + "/cert.pem", key = folder + "/key.pem"
        let made = try await Subprocess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        guard made.status == 0 else { throw ChildProcess.Timeout(pattern: "openssl req", log: made.stderr) }
        let process = try ChildProcess("/usr/bin/env", ["python3", Subprocess.clientPath("smtp_server.py"), folder, "--mode", mode.rawValue,
                                                        "--cert", cert, "--key", key, "--user", user, "--password", password])
        let port = try await process.waitFor("PORT (\\d+)")
        return LocalSMTPServer(port: Int(port)!, folder: folder, caFile: cert, process: process)
    }

    private init(port: Int, folder: String, caFile: String, process: ChildProcess) {
        self.port = port
        self.folder = folder
        self.caFile = caFile
        self.process = process
    }

    /// The messages taken so far, in order: `mail_from`, `rcpt_tos`, `data`, `tls`, `authenticated`, `queue_id`.
    public func messages() throws -> [[String: Any]] { try records("message") }

    /// Every AUTH attempt so far: `mechanism`, `login`, `ok`, `tls` (whether STARTTLS or TLS came first).
    public func auths() throws -> [[String: Any]] { try records("auth") }

    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func records(_ kind: String) throws -> [[String: Any]] {
        var out = [[String: Any]]()
        var index = 1
        while let data = FileManager.default.contents(atPath: "\(folder)/\(kind)-\(index).json") {
            guard let record = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { break }
            out.append(record)
            index += 1
        }
        return out
    }
}
