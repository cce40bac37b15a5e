import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A queue body no domain can run — an unknown kind, a missing or mistyped field — is never run with an
/// empty id: it goes to the dead-letter queue at once, with an error line that names what is wrong.
@Suite struct QueueJobDispatchTests {
    @Test func bodiesThatDoNotReadAsTheirKindAreDeadLettered() async throws {
        let log = LogRecords()
        let api = try await APIHost.start(log: log)
        defer { Task { await api.stop() } }
        let jobs = try api.host.queues.producer("api-jobs")
        try await jobs.send(["kind": "contact_import", "workspace_id": "ws_1"])
        try await jobs.send(["kind": "mystery", "id": "x"])
        try await jobs.send(["no_kind": true])
        #expect(try await Poll.until(interval: .milliseconds(20)) { try await api.host.queues.depth("api-jobs-dead") == 3 })
        #expect(try await api.host.queues.depth("api-jobs") == 0, "not retried")
        let lines = log.all.filter { $0.message.hasPrefix("queue job dead-lettered") }.map(\.message)
        #expect(lines.contains("queue job dead-lettered: contact_import job: import_id must be a non-empty string"), "\(lines)")
        #expect(lines.contains("queue job dead-lettered: no handler for mystery jobs"), "\(lines)")
        #expect(lines.contains("queue job dead-lettered: the body is not an object with a kind"), "\(lines)")
        #expect(log.all.filter { $0.message == "messages exhausted their retries" }.isEmpty, "refusals are not counted as exhausted retries")
    }
}
