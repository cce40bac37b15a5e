import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Two `ozzi serve` hosts on one PostgreSQL and one Redis behind nginx, running `deploy/nginx.conf` as the
/// README shows it (only its ports swapped for free ones): requests land on both hosts and read as one
/// service, a stream through nginx carries changes whichever host made them, and when one host stops the
/// other answers.
@Suite struct NginxTwoHostsTests {
    static let nginx = "/usr/sbin/nginx"

    @Test func twoHostsBehindNginxServeAsOne() async throws {
        let postgres = try await TestPostgres.shared.database()
        let redis = try await TestRedis.shared()
        let data = NSTemporaryDirectory() + "ozzi-nginx-\(UUID().uuidString)"
        let serve = ["serve", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data, "--log-level", "info"]
        let environment = ["OZZI_POSTGRES_URL": postgres, "OZZI_REDIS_URL": "\(redis.url)", "OZZI_OPS_TOKEN": "nginx-test"]
        let hosts = try (0..<2).map { _ in try OzziProcess(serve, environment: environment) }
        defer {
            for host in hosts { host.process.signal(SIGKILL) }
            try? FileManager.default.removeItem(atPath: data)
        }
        var ports: [Int] = []
        for host in hosts { ports.append(try await host.listeningPort()) }

        let prefix = NSTemporaryDirectory() + "ozzi-nginx-prefix-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        let front = try freeLoopbackPort()
        let config = try String(contentsOfFile: OzziProcess.repositoryRoot + "/deploy/nginx.conf", encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:8787", with: "127.0.0.1:\(ports[0])")
            .replacingOccurrences(of: "127.0.0.1:8788", with: "127.0.0.1:\(ports[1])")
            .replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(front)")
        try config.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        let balancer = try ChildProcess(Self.nginx, ["-p", prefix, "-c", prefix + "/nginx.conf", "-g", "daemon off;"])
        defer {
            balancer.stop()
            try? FileManager.default.removeItem(atPath: prefix)
        }
        let api = MessagingCrashTests()
        #expect(try await Poll.until { (try? await HTTPGet.get(port: front, path: "/__ozzi/health"))?.status == 200 }, "nginx is up: \(balancer.log)")
        #expect(try await HTTPGet.get(port: front, path: "/__ozzi/metrics").status == 404, "operator endpoints stay off the balancer")

        let signup = try await api.signUp(front, "nginx@example.com", data: data)
        let token = try #require(signup["access_token"]?.stringValue, "\(signup)")
        let stream = try ChildProcess("/usr/bin/python3", [Subprocess.clientPath("sse_client.py"), "http://127.0.0.1:\(front)/api/v1/stream", token])
        defer { stream.stop() }
        #expect(try await stream.waitFor(#"OPEN (\d+)"#) == "200")

        var made: [String] = []
        for n in 0..<20 {
            let group = try await api.call(front, "POST", "/api/v1/groups", token: token, json: #"{"name":"group \#(n)"}"#)
            made.append(try #require(group["id"]?.stringValue, "\(group)"))
        }
        let listed = try await api.call(front, "GET", "/api/v1/groups?limit=100", token: token)
        #expect(Set(listed["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == Set(made), "one service, whichever host answers")
        for port in ports {
            let metrics = try await Subprocess.curl(["-H", "Authorization: Bearer nginx-test", "http://127.0.0.1:\(port)/__ozzi/metrics"]).stdout
            #expect(metrics.contains(#"route="/api/v1/groups""#), "nginx spread the requests over both hosts")
        }
        for id in made { _ = try await stream.waitFor(#"EVENT \S+ group.created (\{.*"\#(id)".*\})"#) }

        // One host stops; the other answers everything.
        hosts[0].process.signal(SIGTERM)
        _ = try await hosts[0].waitForExit()
        for n in 0..<6 {
            let group = try await api.call(front, "POST", "/api/v1/groups", token: token, json: #"{"name":"after \#(n)"}"#)
            #expect(group["id"]?.stringValue != nil, "\(group)")
        }
    }
}
