import Foundation
import Logging
import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

/// Cron on several hosts sharing one PostgreSQL database: each minute fires on one of them.
@Suite struct CronClusterTests {
    /// A worker that records the minutes its trigger fired for.
    final class Ticker: Worker {
        private let fired = Mutex<[Int64]>([])

        init() {}
        init(env: WorkerEnv) throws {}

        var minutes: [Int64] { fired.withLock { $0 } }

        func fetch(_ request: Request, context: RequestContext) async throws -> Response { Response(status: 404) }

        func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {
            fired.withLock { $0.append(event.scheduledTime) }
        }
    }

    /// How many hosts have asked for each minute.
    final class Asks: Sendable {
        private let counts = Mutex<[Int64: Int]>([:])

        func count(_ minute: Int64) { counts.withLock { $0[minute, default: 0] += 1 } }
        subscript(minute: Int64) -> Int { counts.withLock { $0[minute] ?? 0 } }
    }

    /// A host's real claims, counted once answered.
    struct CountedClaims: CronClaims {
        let claims: PostgresCronClaims
        let asks: Asks

        func claim(worker: String, cron: String, minute: Int64) async throws -> Bool {
            let won = try await claims.claim(worker: worker, cron: cron, minute: minute)
            asks.count(minute)
            return won
        }
    }

    @Test func threeHostsFireAnEveryMinuteTriggerOncePerMinute() async throws {
        let url = try await TestPostgres.shared.database()
        let start: Int64 = 1_900_000_020  // a minute boundary (1_900_000_020 = 60 * 31_666_667)
        let clock = ManualClock(milliseconds: (start + 30) * 1000)
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let ticker = Ticker()
        let asks = Asks()
        let hosts = try (0..<3).map { _ in
            let directory = WorkerDirectory(logger: Logger(label: "test"))
            directory.add("ticker", ticker)
            return CronScheduler(jobs: [CronScheduler.Job(worker: "ticker", schedule: try CronSchedule("* * * * *"))],
                                 directory: directory, loop: group.loops[0], clock: clock, logger: Logger(label: "test"),
                                 claims: CountedClaims(claims: try PostgresCronClaims(postgres: url), asks: asks))
        }
        let runs = hosts.map { host in Task { await host.run() } }
        // Each counts minutes from when it starts: all three wait for the first before the clock reaches it.
        #expect(try await Poll.until { hosts.allSatisfy(\.isWaiting) })
        for minute in 1...3 {
            clock.set(milliseconds: (start + Int64(minute) * 60) * 1000)
            #expect(try await Poll.until { ticker.minutes.count >= minute }, "minute \(minute) fired")
        }
        // Every host has had its say on the last minute, and (scheduled in order) on those before it; once
        // they stop, their runs have ended too.
        #expect(try await Poll.until { asks[start + 180] == 3 })
        for run in runs { run.cancel() }
        for run in runs { await run.value }
        #expect(ticker.minutes.sorted() == [start + 60, start + 120, start + 180])
    }

    @Test func aMinuteThatCannotBeClaimedIsSkippedWithAWarning() async throws {
        let postgres = try await TestPostgres.shared
        let url = try await postgres.database()
        let start: Int64 = 1_900_000_020
        let clock = ManualClock(milliseconds: (start + 30) * 1000)
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let ticker = Ticker()
        let directory = WorkerDirectory(logger: Logger(label: "test"))
        directory.add("ticker", ticker)
        let log = LogRecords()
        let host = CronScheduler(jobs: [CronScheduler.Job(worker: "ticker", schedule: try CronSchedule("* * * * *"))],
                                 directory: directory, loop: group.loops[0], clock: clock,
                                 logger: Logger(label: "test") { _ in log.handler() }, claims: try PostgresCronClaims(postgres: url))
        let run = Task { await host.run() }
        #expect(try await Poll.until { host.isWaiting })
        // The shared database is gone: no host can know whether another fired the minute.
        let admin = try PostgresDatabase(url: postgres.url("postgres"), connections: 1)
        try await admin.prepare("DROP DATABASE \(url.split(separator: "/").last!.split(separator: "?")[0]) WITH (FORCE)").run()
        clock.set(milliseconds: (start + 60) * 1000)
        #expect(try await Poll.until { log.all.contains { $0.message == "cron run skipped: cannot claim the minute" } })
        run.cancel()
        await run.value
        #expect(ticker.minutes.isEmpty)
    }
}
