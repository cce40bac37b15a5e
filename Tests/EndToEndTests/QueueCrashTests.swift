import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A host killed with SIGKILL in the middle of queue consumption loses no accepted message and does not
/// redeliver acknowledged ones.
@Suite struct QueueCrashTests {
    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/migrations/queue-probe").path

    func config(run: Int, data: String) throws -> String {
        let file = data + "-run\(run).toml"
        try """
        [server]
        port = 0
        loops = 1
        data_dir = "\(data)"
        access_log = false

        [[workers]]
        name = "qp"
        module = "queue-probe"
        routes = ["/*"]
        d1_databases = [{ binding = "DB", migrations_dir = "\(Self.migrations)" }]
        [workers.vars]
        RUN = "\(run)"
        BATCH_SLEEP_MS = "25"
        HOLD_AFTER = "\(run == 1 ? 500 : 0)"
        [workers.queues]
        producers = [{ binding = "JOBS", queue = "jobs" }]
        consumers = [{ queue = "jobs", max_batch_size = 50, max_batch_timeout = 0 }]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    struct Summary: Decodable {
        let delivered: Int
        let distinct_n: Int
    }

    func summary(_ port: Int) async throws -> Summary {
        try JSONDecoder().decode(Summary.self, from: Data(try await HTTPGet.get(port: port, path: "/deliveries").body.utf8))
    }

    @Test func sigkillMidConsumptionLosesNothingAndRedeliversOnlyUnacknowledged() async throws {
        let total = 3000
        let data = NSTemporaryDirectory() + "ozzi-crash-\(UUID().uuidString)"
        let first = try OzziProcess([try config(run: 1, data: data)], binary: "ozzi-probe")
        let port = try await first.listeningPort()
        let accepted = try await HTTPPost.post(port: port, path: "/enqueue?count=\(total)")
        #expect(accepted.status == 202)
        // The first run's hook stops returning once 500 deliveries are recorded: the kill lands mid-batch at
        // a known point, however slow or fast this machine consumes.
        var delivered = 0
        _ = try await Poll.until {
            delivered = try await summary(port).delivered
            return delivered >= 500
        }
        kill(first.process.pid, SIGKILL)
        _ = try await first.waitForExit()
        #expect(delivered >= 500 && delivered < total, "killed mid-consumption, after \(delivered) deliveries")

        // What the queue still held at the moment of the kill: everything not acknowledged.
        let queue = try SQLiteDatabase(path: data + "/queues/jobs.sqlite")
        let rows = try await queue.prepare("SELECT body FROM messages").all()
        let unacknowledged = Set(rows.compactMap { row -> Int? in
            guard let body = row.blob("body"),
                  let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
            return json["n"] as? Int
        })
        #expect(!unacknowledged.isEmpty && unacknowledged.count < total)

        let second = try OzziProcess([try config(run: 2, data: data)], binary: "ozzi-probe")
        let restartedPort = try await second.listeningPort()
        _ = try await Poll.until {
            guard try await summary(restartedPort).distinct_n == total else { return false }
            return try await queue.prepare("SELECT count(*) AS n FROM messages").first()?.integer("n") == 0
        }
        kill(second.process.pid, SIGTERM)
        #expect(try await second.waitForExit() == 0)

        let log = try SQLiteDatabase(path: data + "/qp/d1/db.sqlite")
        let deliveries = try await log.prepare("SELECT n, run FROM deliveries").all()
        var runs: [Int: Set<Int>] = [:]
        for row in deliveries {
            runs[Int(row.integer("n") ?? -1), default: []].insert(Int(row.integer("run") ?? 0))
        }
        #expect(Set(runs.keys) == Set(1...total), "every accepted message was delivered")
        let redeliveredAcknowledged = runs.filter { !unacknowledged.contains($0.key) && $0.value.contains(2) }.keys
        #expect(redeliveredAcknowledged.isEmpty, "acknowledged messages came again: \(redeliveredAcknowledged.sorted().prefix(10))")
        let missedAfterRestart = unacknowledged.filter { !(runs[$0]?.contains(2) ?? false) }
        #expect(missedAfterRestart.isEmpty, "unacknowledged messages were not redelivered: \(missedAfterRestart.sorted().prefix(10))")
        #expect(try await queue.prepare("SELECT count(*) AS n FROM messages").first()?.integer("n") == 0)
    }
}
