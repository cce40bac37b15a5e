import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The `ozzi` binary as users run it: the repository's own configuration, signals, exit codes.
@Suite struct HostProcessTests {
    var config: String { OzziProcess.repositoryRoot + "/wrangler-like.toml" }

    func dataDirectory() -> String {
        NSTemporaryDirectory() + "ozzi-e2e-\(UUID().uuidString)"
    }

    @Test func servesEveryWorkerThenStopsGracefullyOnSIGTERM() async throws {
        let ozzi = try OzziProcess(["serve", "--config", config, "--port", "0", "--data-dir", dataDirectory()])
        let port = try await ozzi.listeningPort()
        // How soon it answers is the benchmarks' business; that it answers once listening is this test's.
        let health = try await HTTPGet.get(port: port, path: "/__ozzi/health")
        #expect(health.status == 200)

        let statusRoutes = [
            ("/api/v1/status", "api"), ("/widget/status", "widget"), ("/forms/status", "form-embed"),
            ("/voice/status", "voice-agent"), ("/video/status", "video-render"),
        ]
        for (path, worker) in statusRoutes {
            let answer = try await HTTPGet.get(port: port, path: path)
            #expect(answer.status == 200, "\(path)")
            #expect(answer.body.contains("\"worker\":\"\(worker)\""), "\(path) is answered by \(worker)")
        }
        let byHost = try await HTTPGet.get(port: port, path: "/status", host: "widget.localhost:\(port)")
        #expect(byHost.body.contains("\"worker\":\"widget\""), "host routes pick the worker")

        let unrouted = try await HTTPGet.get(port: port, path: "/nowhere")
        #expect(unrouted.status == 404)
        #expect(unrouted.body.contains("\"code\":\"not_found\""))

        // Request logs are structured JSON lines with the fields operators filter on.
        let log = try await ozzi.waitFor("\"path\":\"/video/status\"")
        let line = log.split(separator: "\n").first { $0.contains("\"path\":\"/video/status\"") } ?? ""
        for field in ["\"method\":\"GET\"", "\"status\":\"200\"", "\"bytes\":", "\"duration_ms\":", "\"worker\":\"video-render\"", "\"request_id\":"] {
            #expect(line.contains(field), "access log has \(field)")
        }

        kill(ozzi.process.pid, SIGTERM)
        #expect(try await ozzi.waitForExit() == 0)
        #expect(ozzi.log.contains("\"msg\":\"stopped\""))
    }

    /// Measured on the release binary (`make test` builds it): what ships, not the debug build's larger
    /// text and shared libraries. Two figures: the host's own heap and stacks (anonymous memory), which is
    /// what idling could grow and is held to 16 MiB (8 MiB today); and the RSS besides the binary's own
    /// pages (file-backed, shared by every process of the binary, and growing with each worker's code, so
    /// not a figure a host can grow by idling), held to 32 MiB (22 MiB today: the anonymous memory and the
    /// shared libraries' pages).
    @Test func idleMemoryWithAllWorkersIsSmall() async throws {
        let release = OzziProcess.repositoryRoot + "/.build/release/ozzi"
        try #require(FileManager.default.isExecutableFile(atPath: release), "build it first: swift build -c release --static-swift-stdlib --product ozzi")
        let ozzi = try OzziProcess(["serve", "--config", config, "--port", "0", "--data-dir", dataDirectory()], path: release)
        let port = try await ozzi.listeningPort()
        let health = try await HTTPGet.get(port: port, path: "/__ozzi/health")
        let rollup = (try? String(contentsOfFile: "/proc/\(ozzi.process.pid)/smaps_rollup", encoding: .utf8)) ?? ""
        let smaps = (try? String(contentsOfFile: "/proc/\(ozzi.process.pid)/smaps", encoding: .utf8)) ?? ""
        kill(ozzi.process.pid, SIGINT)
        _ = try await ozzi.waitForExit()
        let json = try JSONSerialization.jsonObject(with: Data(health.body.utf8)) as? [String: Any]
        let rss = json?["rss_bytes"] as? Int ?? Int.max
        #expect((json?["workers"] as? [String])?.count == 5)
        // Each mapping's header line names its file; the `Rss:` lines after it are its resident pages.
        var binaryKiB = 0, inBinary = false
        for line in smaps.split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-"), line.split(separator: " ").count >= 5 {
                inBinary = line.hasSuffix("/ozzi")
            } else if inBinary, line.hasPrefix("Rss:") {
                binaryKiB += Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
            }
        }
        #expect(binaryKiB > 0, "the binary's mappings were found in smaps")
        #expect(rss - binaryKiB * 1024 < 32 * 1024 * 1024, "idle RSS \(rss / 1024) KiB, \(binaryKiB) KiB of it the binary's own pages")
        let anonymousKiB = rollup.split(separator: "\n").first { $0.hasPrefix("Anonymous:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
        #expect((anonymousKiB ?? Int.max) < 16 * 1024, "idle anonymous memory \(anonymousKiB ?? -1) KiB (of \(rss / 1024) KiB RSS)")
    }

    @Test func devModeWritesReadableLogs() async throws {
        let ozzi = try OzziProcess(["dev", "--config", config, "--port", "0", "--loops", "1", "--data-dir", dataDirectory()])
        let log = try await ozzi.waitFor("listening  address=127.0.0.1:")
        kill(ozzi.process.pid, SIGTERM)
        #expect(try await ozzi.waitForExit() == 0)
        #expect(log.contains("loops=1"))
    }

    @Test func checkPrintsTheRouteTable() async throws {
        let ozzi = try OzziProcess(["check", "--config", config])
        #expect(try await ozzi.waitForExit() == 0)
        let out = ozzi.log
        #expect(out.contains("OK, 5 workers"))
        #expect(out.contains("/api/*"))
        #expect(out.contains("/widget/* (mounted)"))
        #expect(out.contains("GET     /api/v1/status"))
    }

    @Test func anUnreachableSharedEngineExits78NamingItWithThePasswordMasked() async throws {
        let file = NSTemporaryDirectory() + "backends-\(UUID().uuidString).toml"
        try """
        [server.backends]
        postgres = "postgresql://ozzi:hunter2@127.0.0.1:\(try freeLoopbackPort())/ozzi"

        [[workers]]
        name = "widget"
        routes = ["/widget/*"]
        d1_databases = [{ binding = "DB", database_name = "widget" }]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let ozzi = try OzziProcess(["serve", "--config", file, "--port", "0", "--data-dir", dataDirectory()])
        #expect(try await ozzi.waitForExit() == 78)
        #expect(ozzi.log.contains("error: \(file): key 'server.backends.postgres': "), "\(ozzi.log)")
        #expect(ozzi.log.contains("cannot connect to postgresql://ozzi:***@127.0.0.1"))
        #expect(ozzi.log.contains("needed by the SQL binding 'DB' of worker 'widget'"))
        #expect(!ozzi.log.contains("hunter2"))
    }

    @Test func badConfigurationExits78NamingFileWorkerAndKey() async throws {
        let file = NSTemporaryDirectory() + "bad-\(UUID().uuidString).toml"
        try """
        [[workers]]
        name = "billing"
        module = "billing"
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let ozzi = try OzziProcess(["serve", "--config", file, "--port", "0"])
        #expect(try await ozzi.waitForExit() == 78)
        #expect(ozzi.log.contains("error: \(file): worker 'billing': key 'module': unknown module 'billing'"))

        let typo = NSTemporaryDirectory() + "typo-\(UUID().uuidString).toml"
        try "[[workers]]\nname = \"api\"\nroutse = [\"/x/*\"]\n".write(toFile: typo, atomically: true, encoding: .utf8)
        let second = try OzziProcess(["check", "--config", typo])
        #expect(try await second.waitForExit() == 78)
        #expect(second.log.contains("worker 'api': key 'routse': unknown key"))

        // --var names the worker whose var it sets: an unknown worker is a configuration error, a bad form a usage error.
        let stranger = try OzziProcess(["check", "--config", config, "--var", "billing.PLAN=pro"])
        #expect(try await stranger.waitForExit() == 78)
        #expect(stranger.log.contains("worker 'billing': key 'vars': overridden for a worker this file does not configure"))
        let unnamed = try OzziProcess(["check", "--config", config, "--var", "PLAN=pro"])
        #expect(try await unnamed.waitForExit() == 64)
        #expect(unnamed.log.contains("'PLAN=pro' is not WORKER.NAME=VALUE"))
    }

    @Test func migrateAndTriggerRunTheApiSweep() async throws {
        let data = dataDirectory()
        let migrate = try OzziProcess(["migrate", "--config", config, "--data-dir", data])
        #expect(try await migrate.waitForExit() == 0)
        #expect(migrate.log.contains("api.DB: applied 0001_sweep_runs"))
        let again = try OzziProcess(["migrate", "--config", config, "--data-dir", data])
        #expect(try await again.waitForExit() == 0)
        #expect(again.log.contains("api.DB: up to date"))
        let trigger = try OzziProcess(["trigger", "api", "* * * * *", "--config", config, "--data-dir", data])
        #expect(try await trigger.waitForExit() == 0)
        #expect(trigger.log.contains("ran api \"* * * * *\""))
        let runs = try await SQLiteDatabase(path: data + "/api/d1/api.sqlite").prepare("SELECT cron FROM sweep_runs").all()
        #expect(runs.map { $0.text("cron") } == ["* * * * *"])
        let unknown = try OzziProcess(["trigger", "api", "0 0 * * *", "--config", config, "--data-dir", data])
        #expect(try await unknown.waitForExit() == 1)
        #expect(unknown.log.contains("has no trigger '0 0 * * *'"))
    }

    @Test func adminGrantMakesAnAccountAPlatformAdmin() async throws {
        let data = dataDirectory()
        let ozzi = try OzziProcess(["serve", "--config", config, "--port", "0", "--loops", "1", "--data-dir", data])
        let port = try await ozzi.listeningPort()
        let signup = try await HTTPGet.exchange(port: port, request: """
            POST /api/v1/auth/signup HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 63\r\nConnection: close\r\n\r\n\
            {"email":"root@example.com","password":"correct horse battery"}
            """)
        #expect(signup.status == 202, "an account waiting for its address to be verified")
        let grant = try OzziProcess(["admin", "grant", "Root@Example.com", "--config", config, "--data-dir", data])
        #expect(try await grant.waitForExit() == 0)
        #expect(grant.log.contains("root@example.com is now a platform admin"))
        let nobody = try OzziProcess(["admin", "grant", "nobody@example.com", "--config", config, "--data-dir", data])
        #expect(try await nobody.waitForExit() == 1)
        #expect(nobody.log.contains("no account has the email nobody@example.com"))
        let users = try await SQLiteDatabase(path: data + "/api/d1/api.sqlite").prepare("SELECT is_platform_admin FROM users WHERE email = ?")
            .bind("root@example.com").first()
        #expect(users?.integer("is_platform_admin") == 1)
        kill(ozzi.process.pid, SIGTERM)
        _ = try await ozzi.waitForExit()
    }

    @Test func portInUseIsAClearFailure() async throws {
        let first = try OzziProcess(["serve", "--config", config, "--port", "0", "--loops", "1", "--data-dir", dataDirectory()])
        let port = try await first.listeningPort()
        // A second host on the same port must not silently share it.
        let second = try OzziProcess(["serve", "--config", config, "--port", String(port), "--loops", "1", "--data-dir", dataDirectory()])
        let status = try await second.waitForExit()
        kill(first.process.pid, SIGTERM)
        _ = try await first.waitForExit()
        #expect(status == 1)
        #expect(second.log.contains("could not start"))
    }
}
