import Foundation
import OzziRuntime
import Synchronization

/// The test process's Redis server: one `redis-server` (Debian's, installed by scripts/setup.sh) on a free
/// loopback port, in a temporary folder, with no persistence, run as `nobody` when the tests run as root
/// (as CI does), and stopped when the test process exits. Tests share it: each keeps to its own keys and
/// channels (`unique(_:)`).
public final class TestRedis: Sendable {
    public let url: RedisURL
    public let directory: String
    private let server: ChildProcess

    private static let started = Mutex<Task<TestRedis, Error>?>(nil)

    /// The server, started on first use.
    public static func shared() async throws -> TestRedis {
        let task = started.withLock { task in
            if let task { return task }
            let made = Task { try await TestRedis.start() }
            task = made
            return made
        }
        return try await task.value
    }

    private init(url: RedisURL, directory: String, server: ChildProcess) {
        self.url = url
        self.directory = directory
        self.server = server
    }

    private static func start() async throws -> TestRedis {
        let executable = "/usr/bin/redis-server"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SetupError(message: "\(executable) is missing: run scripts/setup.sh")
        }
        var template = Array("/tmp/ozzi-redis-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError(message: "mkdtemp: errno \(errno)") }
        let directory = String(cString: made)
        // A busy port (taken between the probe and the bind) ends the server at once: try another.
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            var command = [executable, "--port", String(port), "--bind", "127.0.0.1", "--dir", directory,
                           "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
            if getuid() == 0, let nobody = getpwnam("nobody") {
                chown(directory, nobody.pointee.pw_uid, nobody.pointee.pw_gid)
                command = ["/usr/bin/setpriv", "--reuid=\(nobody.pointee.pw_uid)", "--regid=\(nobody.pointee.pw_gid)",
                           "--clear-groups"] + command
            }
            let server = try ChildProcess(command[0], Array(command.dropFirst()), directory: directory)
            do {
                _ = try await server.waitFor("Ready to accept connections")
            } catch {
                server.stop()
                if server.log.contains("Address already in use") { continue }
                throw error
            }
            running.withLock { $0 = (server.process.pid, directory) }
            atexit {
                guard let (pid, directory) = running.withLock({ $0 }) else { return }
                kill(pid, SIGTERM)
                // Empty: the server saves nothing.
                rmdir(directory)
            }
            return TestRedis(url: RedisURL(host: "127.0.0.1", port: port), directory: directory, server: server)
        }
        throw SetupError(message: "redis-server found no free port")
    }

    /// A name no other test uses, for keys, channels and client names.
    public static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// What the server has logged (for a failing test's message).
    public var log: String { server.log }

    public struct SetupError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}

/// The server to stop, and its folder to remove, when the test process exits.
private let running = Mutex<(pid: pid_t, directory: String)?>(nil)

/// A loopback TCP port nothing listens on right now.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    return Int(UInt16(bigEndian: address.sin_port))
}
