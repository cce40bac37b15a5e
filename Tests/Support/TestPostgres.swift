import Foundation
import OzziRuntime

/// The PostgreSQL 15 the tests of this process share: `initdb` into a fresh temp folder, a server on a
/// free 127.0.0.1 port with trust authentication, started on first use. Each test takes a database of
/// its own (`database()`), so tests stay independent.
///
/// PostgreSQL refuses to run as root, so under root (CI) the folder is given to `nobody` and the server
/// runs as that user. A watchdog stops the server and removes the folder once this process has gone,
/// however it ended; a server whose watchdog was killed too is stopped by the next run's start-up, and
/// never blocks it anyway, as every run takes its own folder and port.
public final class TestPostgres: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public let port: Int
    public let folder: String
    private let admin: PostgresDatabase

    private static let started = Task { try await TestPostgres.start() }

    /// The server, started by the first caller.
    public static var shared: TestPostgres {
        get async throws { try await started.value }
    }

    private init(port: Int, folder: String) throws {
        self.port = port
        self.folder = folder
        admin = try PostgresDatabase(url: "postgresql://postgres@127.0.0.1:\(port)/postgres", connections: 2)
    }

    /// The URL of a new, empty database (a unique name per call).
    public func database() async throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin.prepare("CREATE DATABASE \(name)").run()
        return url(name)
    }

    /// With a minute to connect, as `TestRedis` gives: hosts start many at once on CI's two busy cores.
    public func url(_ database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)?connect_timeout=60"
    }

    private static func start() async throws -> TestPostgres {
        let temp = NSTemporaryDirectory()
        try await stopStaleServers(in: temp)
        let folder = temp + "ozzi-postgres-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "\(getpid())".write(toFile: folder + "/owner.pid", atomically: true, encoding: .utf8)
        if getuid() == 0 {
            guard let nobody = getpwnam("nobody") else { throw Failure("no user `nobody` to run PostgreSQL as") }
            guard chown(folder, nobody.pointee.pw_uid, nobody.pointee.pw_gid) == 0 else { throw Failure("cannot chown \(folder)") }
        }
        try await run("initdb", ["-D", folder + "/data", "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"])
        let port = try freeLoopbackPort()
        // Every host the tests start opens pools to its own database, and the connections of stopped hosts
        // are not all closed (a leak to find: ~790 stay open after the PostgreSQL pass's hosts have stopped,
        // and the count peaked at ~970 on a quiet machine, where more hosts overlap). Idle backends cost
        // little memory: 3,000 leaves room while that is found.
        let options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=3000 -c fsync=off"
            + " -c synchronous_commit=off -c full_page_writes=off"
        try await run("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "120", "-o", options, "start"])
        try watch(folder)
        return try TestPostgres(port: port, folder: folder)
    }

    /// Stops the server and removes the folder once this process is gone.
    private static func watch(_ folder: String) throws {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(asServerUser(binaries + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "stop"]).joined(separator: " ")) >/dev/null 2>&1
            rm -rf '\(folder)'
            """
        // `setsid`: the watchdog outlives a Ctrl-C sent to the test's process group.
        let watchdog = try SpawnedProcess("/usr/bin/setsid", ["/bin/sh", "-c", script])
        watchdog.closeInput()
    }

    /// Servers of earlier runs whose test process and watchdog are both gone.
    private static func stopStaleServers(in temp: String) async throws {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temp)) ?? [] where name.hasPrefix("ozzi-postgres-") {
            let folder = temp + name
            guard let owner = try? String(contentsOfFile: folder + "/owner.pid", encoding: .utf8), let pid = pid_t(owner.trimmingCharacters(in: .whitespacesAndNewlines)),
                  kill(pid, 0) != 0 else { continue }
            if FileManager.default.fileExists(atPath: folder + "/data/postmaster.pid") {
                try? await run("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "stop"])
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) async throws {
        let command = asServerUser(binaries + "/" + tool, arguments)
        let output = try await Subprocess.run(command[0], Array(command.dropFirst()))
        guard output.status == 0 else { throw Failure("\(tool) exited \(output.status): \(output.stderr)\(output.stdout)") }
    }

    /// The command line that runs `tool` as the user PostgreSQL accepts.
    private static func asServerUser(_ tool: String, _ arguments: [String]) -> [String] {
        getuid() == 0 ? ["/usr/sbin/runuser", "-u", "nobody", "--", tool] + arguments : [tool] + arguments
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
