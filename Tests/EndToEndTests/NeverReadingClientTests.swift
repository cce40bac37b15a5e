import Foundation
import OzziTestSupport
import Testing

/// Clients that pipeline requests and never read the answers must not grow the host: each connection
/// stops being read while its unsent output is over the high-water mark, and all of them together
/// stay under `max_buffered_output_bytes`.
@Suite struct NeverReadingClientTests {
    static let clients = 20
    static let cap = 8 * 1024 * 1024

    /// The repository's configuration with a small output budget, so the global cap is what holds.
    func config() throws -> String {
        let text = try String(contentsOfFile: OzziProcess.repositoryRoot + "/wrangler-like.toml", encoding: .utf8)
        let root = OzziProcess.repositoryRoot
        let capped = text.replacingOccurrences(of: "max_buffered_output_bytes = 134217728", with: "max_buffered_output_bytes = \(Self.cap)")
            .replacingOccurrences(of: #"migrations_dir = "Workers/"#, with: #"migrations_dir = "\#(root)/Workers/"#)
        try #require(capped != text, "wrangler-like.toml sets max_buffered_output_bytes")
        let path = NSTemporaryDirectory() + "ozzi-never-reads-\(UUID().uuidString).toml"
        try capped.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func twentyPipeliningClientsThatNeverReadHoldTheHostsMemory() async throws {
        let config = try config()
        let data = NSTemporaryDirectory() + "ozzi-e2e-\(UUID().uuidString)"
        let ozzi = try OzziProcess(["serve", "--config", config, "--port", "0", "--loops", "2", "--data-dir", data])
        defer {
            kill(ozzi.process.pid, SIGKILL)
            try? FileManager.default.removeItem(atPath: config)
            try? FileManager.default.removeItem(atPath: data)
        }
        let port = try await ozzi.listeningPort()
        // The largest answer the API gives without a session: the OpenAPI document.
        let path = "/api/v1/openapi.json"
        let document = try await HTTPGet.get(port: port, path: path)
        #expect(document.status == 200)
        let answerBytes = document.body.utf8.count

        let result = try await Subprocess.python("never_reads.py", [String(port), String(ozzi.process.pid), "30", String(Self.clients), path])
        let growth = (result["rss_max"] as? Int ?? Int.max) - (result["rss_start"] as? Int ?? 0)
        // Without back-pressure one such client grew the host by gigabytes in ten seconds.
        #expect(growth < 64 * 1024 * 1024, "RSS grew by \(growth / 1024) KiB under \(Self.clients) clients that never read")
        let buffered = result["buffered_max"] as? Int ?? Int.max
        // Over the cap, a connection with output queued takes no new request: each adds at most the
        // answer it was writing when the budget ran out (and its high-water mark before that).
        let bound = Self.cap + Self.clients * (answerBytes + 256 * 1024)
        #expect(buffered <= bound, "the host held \(buffered) bytes of unsent output (bound \(bound))")
        #expect(result["health_failed"] as? Int == 0, "the host kept answering other clients")
        #expect((result["health_ok"] as? Int ?? 0) > 0)
        #expect(result["first_statuses"] as? [Int] == [200, 200, 200], "held-back requests are answered once the client reads")
        let sent = result["sent"] as? [Int] ?? []
        #expect(sent.count == Self.clients && sent.allSatisfy { $0 > 0 })
    }
}

/// Logs are never the reason the host falls over: with its output stuck (a pipe nobody reads), the
/// access log drops and counts lines instead of blocking the loop that serves requests.
@Suite struct StuckLogOutputTests {
    @Test func aHostWhoseLogNobodyReadsKeepsServing() async throws {
        let data = NSTemporaryDirectory() + "ozzi-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = OzziProcess.repositoryRoot + "/wrangler-like.toml"
        let result = try await Subprocess.python("stuck_log.py", [OzziProcess.binary("ozzi"), config, data, "3000"])
        #expect(result["pipe_full"] as? Bool == true, "the log output was stuck: \(result)")
        #expect(result["answered_while_full"] as? Int == 3000, "every request was answered: \(result)")
        #expect(result["failed"] as? Int == 0)
        #expect(result["still_full"] as? Bool == true, "nothing drained the pipe meanwhile: \(result)")
    }
}
