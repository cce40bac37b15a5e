import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// kill -9 while thousands of messages are being delivered: after a restart every message is in one
/// final or reviewable state, and the simulated provider (which records each send before answering)
/// took none twice.
@Suite struct MessagingCrashTests {
    static let total = 4000

    /// `ozzi serve` on the repository's configuration under `[env.test]`, with fast send rates; with
    /// `haltAfter`, the simulated providers stop answering after that many sends.
    func serve(_ data: String, haltAfter: Int? = nil) throws -> OzziProcess {
        try OzziProcess(["serve", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data,
                         "--var", "api.SIM_HALT_AFTER_SENDS=\(haltAfter.map(String.init) ?? "")",
                         "--var", "api.SMS_RATE_PER_WORKSPACE=1000000", "--var", "api.SMS_RATE_PER_USER=1000000",
                         "--var", "api.SIM_SMS_LATENCY_MS=40", "--var", "api.SIM_SMS_DELIVERY_MS=100"])
    }

    func call(_ port: Int, _ method: String, _ path: String, token: String? = nil, json: String? = nil, csv: String? = nil) async throws -> JSONValue {
        // Scheduling thousands of messages on two busy cores may take longer than curl's usual 20 s here.
        var arguments = ["--max-time", "120", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if json != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        if csv != nil { arguments += ["-H", "Content-Type: text/csv", "--data-binary", "@-"] }
        let output = try await Subprocess.curl(arguments + ["http://127.0.0.1:\(port)\(path)"], stdin: (json ?? csv).map { Data($0.utf8) })
        return (try? JSONValue(jsonBytes: Array(output.stdout.utf8))) ?? .null
    }

    /// Signs up as a person does: sign-up, then the link of the verification email the host's simulated
    /// system sender kept in `data`; answers what verify-email answered (tokens and user).
    func signUp(_ port: Int, _ email: String, data: String) async throws -> JSONValue {
        _ = try await call(port, "POST", "/api/v1/auth/signup", json: #"{"email":"\#(email)","password":"correct horse battery"}"#)
        let path = "/api/v1/auth/verify-email"
        let token = try await AccountMailbox.nextToken(in: data, to: email, after: 0, path: path)
        return try await call(port, "POST", path, json: #"{"token":"\#(token)"}"#)
    }

    func check(_ data: String) async throws -> [String: Any] {
        try await Subprocess.python("sms_crash_check.py", [data])
    }

    @Test func sigkillMidDeliverySendsNothingTwice() async throws {
        let data = NSTemporaryDirectory() + "ozzi-sms-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let first = try serve(data, haltAfter: 600)
        let port = try await first.listeningPort()
        let signup = try await signUp(port, "crash@example.com", data: data)
        let token = try #require(signup["access_token"]?.stringValue, "\(signup)")
        var csv = "name,phone\n"
        for i in 0..<Self.total { csv += "Person \(i),+1415\(2_000_000 + i)\n" }
        let started = try await call(port, "POST", "/api/v1/contacts/imports", token: token, csv: csv)
        let importID = try #require(started["id"]?.stringValue, "\(started)")
        _ = try await Poll.until(interval: .milliseconds(50)) {
            try await call(port, "GET", "/api/v1/contacts/imports/\(importID)", token: token)["status"] != "running"
        }
        let group = try #require(try await call(port, "POST", "/api/v1/groups", token: token, json: #"{"name":"Everyone"}"#)["id"]?.stringValue)
        let added = try await call(port, "POST", "/api/v1/contacts/bulk", token: token,
                                   json: #"{"action":"add_to_group","group_id":"\#(group)","filter":{"source":"import"}}"#)
        #expect(added["affected"] == .number(Double(Self.total)), "\(added)")
        let scheduled = try await call(port, "POST", "/api/v1/messages", token: token, json: #"{"group_id":"\#(group)","body":"Hello {{first_name}}"}"#)
        #expect(scheduled["scheduled"] == .number(Double(Self.total)), "\(scheduled)")

        // Kill once the provider has taken some but not all: it stops answering after 600 sends, and a
        // thread of its own watches the provider's log and freezes the host (SIGSTOP) the moment they are
        // in it, so the kill lands mid-delivery however busy the machine.
        let sends = await Self.freeze(first.process.pid, whenLinesIn: data + "/api/simulated-sms.log", reach: 600)
        kill(first.process.pid, SIGKILL)
        _ = try await first.waitForExit()
        let atKill = try await check(data)
        #expect(sends >= 600 && (atKill["sends"] as? Int ?? 0) < Self.total, "killed mid-delivery after \(atKill["sends"] ?? 0) sends")

        let second = try serve(data)
        defer { second.process.signal(SIGTERM) }
        _ = try await second.listeningPort()
        var after = try await check(data)
        _ = try await Poll.until(interval: .milliseconds(100)) {
            after = try await check(data)
            let states = after["by_status"] as? [String: Int] ?? [:]
            return (states["pending"] ?? 0) == 0 && (states["sending"] ?? 0) == 0
        }
        let states = after["by_status"] as? [String: Int] ?? [:]
        #expect(after["messages"] as? Int == Self.total)
        #expect((states["pending"] ?? 0) == 0 && (states["sending"] ?? 0) == 0, "\(states)")
        #expect(after["max_sends"] as? Int == 1, "no message was sent twice")
        #expect((after["violations"] as? [String])?.isEmpty == true, "\(after["violations"] ?? [])")
        let settled = (states["sent"] ?? 0) + (states["delivered"] ?? 0) + (states["review"] ?? 0)
        #expect(settled == Self.total, "\(states)")
        // In review: exactly the claims the kill caught marked dispatched (the provider may have them), however
        // many a busy machine let pile up between the calls and their record.
        #expect((states["review"] ?? 0) == atKill["dispatched"] as? Int, "\(states); \(atKill["dispatched"] ?? "?") dispatched at the kill")
    }

    /// Counts the lines appended to `path` from a dedicated thread, and stops process `pid` with SIGSTOP as
    /// soon as there are `count` (or after a minute, whatever the count); returns the count it saw.
    static func freeze(_ pid: pid_t, whenLinesIn path: String, reach count: Int) async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            let thread = Thread {
                var lines = 0
                var fd: Int32 = -1
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let deadline = Date().addingTimeInterval(60)
                while lines < count, Date() < deadline {
                    if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
                    if fd >= 0 {
                        while true {
                            let n = read(fd, &buffer, buffer.count)
                            if n <= 0 { break }
                            lines += buffer[0..<n].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                        }
                    }
                    if lines < count { usleep(500) }
                }
                kill(pid, SIGSTOP)
                if fd >= 0 { close(fd) }
                continuation.resume(returning: lines)
            }
            thread.start()
        }
    }
}
