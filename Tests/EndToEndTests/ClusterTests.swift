import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Three `ozzi serve` hosts on one PostgreSQL and one Redis, sharing one data folder, with the Twilio stub
/// as the single SMS provider, as `README.md` lays out a cluster: 10,000 messages scheduled through all
/// three are each sent once, within one workspace limit for the cluster; one host killed mid-delivery
/// loses nothing and sends nothing twice; a stream on one host sees every event the others write; the
/// every-minute cron fires once per minute for the cluster.
@Suite struct ClusterTests {
    static let total = 10_000
    static let ratePerSecond = 50

    @Test func threeHostsSendEachMessageOnceWithinOneClusterLimit() async throws {
        let redis = try await TestRedis.start()
        let postgres = try await TestPostgres.shared.database()
        let sid = "AC" + String(repeating: "c1", count: 16)
        let stub = try ChildProcess("/usr/bin/python3", [Subprocess.clientPath("twilio_stub.py"), sid, "cluster-token", "--latency-ms", "2000"])
        let data = NSTemporaryDirectory() + "ozzi-cluster-\(UUID().uuidString)"
        let stubPort = try await stub.waitFor(#"PORT (\d+)"#)
        let serve = ["serve", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data,
                     "--var", "api.SMS_RATE_PER_WORKSPACE=\(Self.ratePerSecond)", "--var", "api.SMS_RATE_BURST=\(Self.ratePerSecond)",
                     "--var", "api.SMS_RATE_PER_USER=1000000", "--var", "api.TWILIO_API_BASE=http://127.0.0.1:\(stubPort)",
                     "--var", "api.TWILIO_TIMEOUT_MS=600000", "--var", "api.DELIVERY_HOST_LEASE_SECONDS=5"]
        // Started together: the three migrate the shared schemas at the same moment.
        let hosts = try (0..<3).map { _ in
            try OzziProcess(serve, environment: ["OZZI_POSTGRES_URL": postgres, "OZZI_REDIS_URL": "\(redis.url)"])
        }
        defer {
            for host in hosts { host.process.signal(SIGKILL) }
            stub.stop()
            try? FileManager.default.removeItem(atPath: data)
        }
        var ports: [Int] = []
        for host in hosts { ports.append(try await host.listeningPort()) }
        let (a, b, c) = (ports[0], ports[1], ports[2])
        let api = MessagingCrashTests()

        let signup = try await api.signUp(a, "cluster@example.com", data: data)
        let token = try #require(signup["access_token"]?.stringValue, "\(signup)")
        let settings = try await api.call(b, "PUT", "/api/v1/sms/settings", token: token, json: """
            {"provider":"twilio","account_sid":"\(sid)","auth_token":"cluster-token","from_number":"+15550007777"}
            """)
        #expect(settings["provider"] == "twilio", "\(settings)")

        // A stream on C, then changes on A and B: C's stream carries them.
        let stream = try ChildProcess("/usr/bin/python3", [Subprocess.clientPath("sse_client.py"), "http://127.0.0.1:\(c)/api/v1/stream", token])
        defer { stream.stop() }
        #expect(try await stream.waitFor(#"OPEN (\d+)"#) == "200")
        for (port, name) in [(a, "made on A"), (b, "made on B")] {
            let group = try #require(try await api.call(port, "POST", "/api/v1/groups", token: token, json: #"{"name":"\#(name)"}"#)["id"]?.stringValue)
            _ = try await stream.waitFor(#"EVENT \S+ group.created (\{.*"\#(group)".*\})"#)
        }

        var csv = "name,phone\n"
        for i in 0..<Self.total { csv += "Person \(i),+1415\(2_000_000 + i)\n" }
        let started = try await api.call(c, "POST", "/api/v1/contacts/imports", token: token, csv: csv)
        let importID = try #require(started["id"]?.stringValue, "\(started)")
        #expect(try await Poll.until(timeout: .seconds(300), interval: .milliseconds(100)) {
            try await api.call(a, "GET", "/api/v1/contacts/imports/\(importID)", token: token)["status"] == "completed"
        }, "the import, a queue job any host may run, finished")
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try await api.call(ports[ids.count / 100 % 3], "GET", "/api/v1/contacts?limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            ids += page["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(ids.count == Self.total)

        // Scheduled through all three hosts, a thousand at a time.
        for (n, start) in stride(from: 0, to: ids.count, by: 1000).enumerated() {
            let chunk = ids[start..<min(start + 1000, ids.count)].map { "\"\($0)\"" }.joined(separator: ",")
            let scheduled = try await api.call(ports[n % 3], "POST", "/api/v1/messages", token: token,
                                               json: #"{"contact_ids":[\#(chunk)],"body":"Hello {{first_name}}"}"#)
            #expect(scheduled["scheduled"] == .number(1000), "\(scheduled)")
        }

        // Host B is stopped as the stub takes the 3,000th send, with sends of its own in flight, and killed.
        _ = try await Subprocess.curl(["-s", "http://127.0.0.1:\(stubPort)/freeze?pid=\(hosts[1].process.pid)&at=3000"])
        try #require(try await Poll.until(timeout: .seconds(600), interval: .milliseconds(20)) { TwilioCrashTests.isStopped(hosts[1].process.pid) },
                     "host B reached the 3,000th send")
        kill(hosts[1].process.pid, SIGKILL)
        _ = try await hosts[1].waitForExit()

        // A and C finish the work, B's included: what B claimed and never dispatched is sent again, what it
        // may have handed to Twilio waits for review.
        var after: [String: Any] = [:]
        let settled = try await Poll.until(timeout: .seconds(900), interval: .seconds(1)) {
            after = try await Subprocess.python("twilio_crash_check.py", [postgres, stubPort])
            let states = after["by_status"] as? [String: Int] ?? [:]
            return (states["pending"] ?? 0) == 0 && (states["sending"] ?? 0) == 0
        }
        let states = after["by_status"] as? [String: Int] ?? [:]
        #expect(settled, "\(states)")
        #expect(after["messages"] as? Int == Self.total)
        #expect(after["max_sends"] as? Int == 1, "no message reached Twilio twice: \(after["violations"] ?? [])")
        #expect((after["violations"] as? [String])?.isEmpty == true, "\(after["violations"] ?? [])")
        let sent = (states["sent"] ?? 0) + (states["delivered"] ?? 0)
        #expect(sent + (states["review"] ?? 0) == Self.total, "\(states)")
        // Twilio answers each send after 2 s here, so B always has sends in flight when it is stopped.
        #expect((1...100).contains(states["review"] ?? 0), "what B had in flight, and only that, is under review: \(states)")

        // One limit for the cluster: three hosts with a bucket each would send at three times the rate.
        let times = try await Self.sendTimes(stubPort)
        let seconds = Double(times.last! - times.first!) / 1000
        let rate = Double(times.count) / seconds
        #expect(rate <= Double(Self.ratePerSecond) * 1.1, "\(times.count) sends in \(seconds) s: \(rate)/s")
        // Any 30 s: a burst plus 30 s at the rate, and up to 20 s more for sends a starved host made late and
        // together (their slots were taken on time; on two busy cores a host can stall for seconds: a loaded CI
        // run saw 2,186, 43.7 s at the rate). Three hosts with a bucket each would send about 90 s' worth.
        let busiest = Self.busiestWindow(times, milliseconds: 30_000)
        #expect(busiest <= Self.ratePerSecond * 50 + Self.ratePerSecond, "at most a burst plus 30 s at the rate (20 s of lateness): \(busiest)")

        // Every event written on any host reached the stream on C, once. (Written is read again each time:
        // delivery callbacks still arrive after the last send settled.)
        var written = 0
        var streamed: [Substring] = []
        let complete = try await Poll.until(timeout: .seconds(120), interval: .seconds(1)) {
            written = Int(try await Self.psql(postgres, "SELECT count(*) FROM api.workspace_events")) ?? -1
            streamed = stream.log.split(separator: "\n").filter { $0.hasPrefix("EVENT ") }.map { $0.split(separator: " ")[1] }
            return streamed.count == written
        }
        #expect(complete, "\(streamed.count) streamed, \(written) written")
        #expect(Set(streamed).count == streamed.count, "an event streamed twice")

        // The maintenance cron ran once per minute for the three hosts, over the minutes the sends took.
        let runs = try await Self.psql(postgres, "SELECT scheduled_time, count(*) FROM api.sweep_runs GROUP BY scheduled_time ORDER BY 1")
            .split(separator: "\n").map { $0.split(separator: "|") }
        #expect(runs.count >= 3, "\(runs)")
        #expect(runs.allSatisfy { $0.last == "1" }, "each minute once: \(runs)")
        print("cluster: \(times.count) sends at \(rate)/s (busiest 10 s: \(busiest)); \(states); \(runs.count) cron minutes; \(streamed) events streamed")
        await redis.remove()
    }

    /// When the stub received each send, in order.
    static func sendTimes(_ stubPort: String) async throws -> [Int] {
        let output = try await Subprocess.curl(["-s", "--max-time", "60", "http://127.0.0.1:\(stubPort)/requests"])
        let requests = try JSONValue(jsonBytes: Array(output.stdout.utf8)).arrayValue ?? []
        return requests.compactMap { $0["at_ms"]?.numberValue.map(Int.init) }.sorted()
    }

    /// The most sends in any window of `milliseconds`.
    static func busiestWindow(_ times: [Int], milliseconds: Int) -> Int {
        var busiest = 0, start = 0
        for end in times.indices {
            while times[end] - times[start] >= milliseconds { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }

    static func psql(_ url: String, _ sql: String) async throws -> String {
        let output = try await Subprocess.run("/usr/bin/psql", [url, "-At", "-c", sql])
        guard output.status == 0 else { throw PSQLFailure(message: output.stderr) }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct PSQLFailure: Error {
    let message: String
}
