import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Queues shared by several hosts on one PostgreSQL database: each host is a `QueueRegistry` of its own.
@Suite struct QueueClusterTests {
    @Test func twoHostsDeliverEachMessageExactlyOnce() async throws {
        let url = try await TestPostgres.shared.database()
        let clock = ManualClock(milliseconds: 1_000_000)
        let hosts = [try QueueRegistry(postgres: url, clock: clock), try QueueRegistry(postgres: url, clock: clock)]
        let consumers = try RunningConsumers(hosts, queue: "jobs", clock: clock) { $0.maxBatchSize = 7 }
        // Sent through both hosts, in batches, while both consume.
        for start in stride(from: 0, to: 300, by: 20) {
            try await hosts[start / 20 % 2].producer("jobs").sendBatch((start..<start + 20).map { OutgoingMessage(body: .number(Double($0))) })
        }
        #expect(try await Poll.until { Set(consumers.recorder.deliveries.map(\.body)).count == 300 })
        #expect(try await Poll.until { try await hosts[0].depth("jobs") == 0 }, "every message is acknowledged")
        await consumers.stop()
        let deliveries = consumers.recorder.deliveries
        #expect(deliveries.count == 300, "nothing delivered twice")
        #expect(deliveries.allSatisfy { $0.attempts == 1 })
    }

    @Test func aBatchLeasedByAHostThatIsGoneIsDeliveredByAnotherAfterTheLease() async throws {
        let url = try await TestPostgres.shared.database()
        let clock = ManualClock(milliseconds: 1_000_000)
        let survivor = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 60)
        do {
            // A host takes the batch, then dies before settling it.
            let doomed = try QueueRegistry(postgres: url, clock: clock, leaseSeconds: 60)
            try await doomed.producer("jobs").sendBatch([OutgoingMessage(body: "a"), OutgoingMessage(body: "b")])
            #expect(try await doomed.store("jobs").lease(limit: 10).count == 2)
            doomed.shutdown()
        }
        let consumers = try RunningConsumers([survivor], queue: "jobs", clock: clock)
        defer { Task { await consumers.stop() } }
        clock.advance(byMilliseconds: 59_999)
        #expect(try await survivor.store("jobs").pending().due == 0, "nothing is due before the lease ends")
        clock.advance(byMilliseconds: 1)
        #expect(try await Poll.until { consumers.recorder.deliveries.count == 2 })
        #expect(consumers.recorder.deliveries.map(\.attempts) == [2, 2], "the lost delivery counts")
        #expect(try await Poll.until { try await survivor.depth("jobs") == 0 })
    }

    /// Sends "now" on one host, after `meanwhile(url)`, and expects the consumer on another host to get
    /// it. That consumer's next timer is an hour away and the clock stands still: only a notification
    /// from the first host can bring it the message.
    func expectASendOnOneHostToWakeAnother(meanwhile: (String) async throws -> Void = { _ in }) async throws {
        let url = try await TestPostgres.shared.database()
        let clock = ManualClock(milliseconds: 1_000_000)
        let producerHost = try QueueRegistry(postgres: url, clock: clock)
        let consumerHost = try QueueRegistry(postgres: url, clock: clock)
        try await producerHost.producer("jobs").send("an hour later", delaySeconds: 3600)
        let consumers = try RunningConsumers([consumerHost], queue: "jobs", clock: clock)
        defer { Task { await consumers.stop() } }
        try await meanwhile(url)
        try await producerHost.producer("jobs").send("now")
        #expect(try await Poll.until { consumers.recorder.deliveries.map(\.body) == ["now"] })
    }

    @Test func aSendOnOneHostWakesTheConsumersOfAnother() async throws {
        try await expectASendOnOneHostToWakeAnother()
    }

    /// Sent while the consumer's host may still be reconnecting, the message reaches it once it listens again.
    @Test func aLostListenConnectionComesBackAndItsConsumersLookAgain() async throws {
        try await expectASendOnOneHostToWakeAnother { url in
            // The server ends both hosts' listening sessions, as a restart or a failover would.
            let admin = try PostgresDatabase(url: url, connections: 1)
            let listening = try await admin.prepare("""
                SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'
                """).all().compactMap { $0.integer("pid") }
            #expect(listening.count == 2)
            for pid in listening { try await admin.prepare("SELECT pg_terminate_backend(CAST(? AS INT))").bind(pid).run() }
            #expect(try await Poll.until {
                try await admin.prepare("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = ANY(CAST(? AS INT[]))")
                    .bind("{" + listening.map(String.init).joined(separator: ",") + "}").first()?.integer("n") == 0
            })
        }
    }
}
