import Foundation
import OzziRuntime
import Synchronization

/// A `redis-server` for tests (Debian's, installed by scripts/setup.sh) on a free loopback port, in a
/// temporary folder, with no persistence, run as `nobody` when the tests run as root (as CI does).
///
/// The test process shares one (`shared()`), stopped when the process exits; tests keep to their own keys
/// and channels (`unique(_:)`). A test that stops or restarts a server starts its own (`start()`).
public final class TestRedis: Sendable {
    public let url: RedisURL
    public let directory: String
    private let server: Mutex<ChildProcess>

    private static let started = Mutex<Task<TestRedis, Error>?>(nil)
    private static let executable = "/usr/bin/redis-server"

    /// The test process's server, started on first use.
    public static func shared() async throws -> TestRedis {
        let task = started.withLock { task in
            if let task { return task }
            let made = Task {
                let redis = try await TestRedis.start()
                running.withLock { $0 = (redis.server.withLock { $0.process.pid }, redis.directory) }
                atexit {
                    guard let (pid, directory) = running.withLock({ $0 }) else { return }
                    kill(pid, SIGTERM)
                    // Empty: the server saves nothing.
                    rmdir(directory)
                }
                return redis
            }
            task = made
            return made
        }
        return try await task.value
    }

    private init(url: RedisURL, directory: String, server: ChildProcess) {
        self.url = url
        self.directory = directory
        self.server = Mutex(server)
    }

    /// A server of the caller's own; `stop()` it when done.
    public static func start() async throws -> TestRedis {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SetupError(message: "\(executable) is missing: run scripts/setup.sh")
        }
        var template = Array("/tmp/ozzi-redis-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError(message: "mkdtemp: errno \(errno)") }
        let directory = String(cString: made)
        if getuid() == 0, let nobody = getpwnam("nobody") {
            chown(directory, nobody.pointee.pw_uid, nobody.pointee.pw_gid)
        }
        // A port taken between the probe and the server's bind ends the server at once: try another.
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            if let server = try await launch(port: port, directory: directory) {
                // A minute to answer: many hosts start at once on CI's two busy cores, and a slow first
                // answer is not what any test is about.
                let url = RedisURL(host: "127.0.0.1", port: port, connectTimeoutSeconds: 60)
                return TestRedis(url: url, directory: directory, server: server)
            }
        }
        throw SetupError(message: "redis-server found no free port")
    }

    /// Starts the server; nil when its port is taken.
    private static func launch(port: Int, directory: String) async throws -> ChildProcess? {
        var command = [executable, "--port", String(port), "--bind", "127.0.0.1", "--dir", directory,
                       "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
        if getuid() == 0, let nobody = getpwnam("nobody") {
            command = ["/usr/bin/setpriv", "--reuid=\(nobody.pointee.pw_uid)", "--regid=\(nobody.pointee.pw_gid)",
                       "--clear-groups"] + command
        }
        let server = try ChildProcess(command[0], Array(command.dropFirst()), directory: directory)
        do {
            _ = try await server.waitFor("Ready to accept connections")
            return server
        } catch {
            server.stop()
            if server.log.contains("Address already in use") { return nil }
            throw error
        }
    }

    /// Stops the server and waits until it has exited (its clients see their connections closed).
    public func stop() async {
        let current = server.withLock { $0 }
        current.stop()
        _ = await current.process.wait()
    }

    /// Starts a stopped server again on the same port.
    public func restart() async throws {
        guard let started = try await Self.launch(port: url.port, directory: directory) else {
            throw SetupError(message: "port \(url.port) was taken while redis-server was stopped")
        }
        server.withLock { $0 = started }
    }

    /// Stops the server and removes its folder (for a server from `start()`).
    public func remove() async {
        await stop()
        rmdir(directory)
    }

    /// A name no other test uses, for keys, channels and client names.
    public static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// What the server has logged (for a failing test's message).
    public var log: String { server.withLock { $0.log } }

    public struct SetupError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}

/// The shared server to stop, and its folder to remove, when the test process exits.
private let running = Mutex<(pid: pid_t, directory: String)?>(nil)
