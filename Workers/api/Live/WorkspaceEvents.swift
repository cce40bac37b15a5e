import OzziRuntime
import Synchronization

/// A workspace's changes as they happen (message status, inbound messages, contact and group changes),
/// for live streams and outgoing webhooks: a transactional outbox.
///
/// A change writes its events with `record` in its own transaction; after commit, `flush` reads the
/// events not yet handed on, publishes them to live streams and hands them to the fan-out (webhooks), then
/// advances a durable cursor. A crash between the commit and the flush delays events to the next flush
/// (the next change, or the every-minute sweep); it loses none. An event's id is its sequence number, so
/// a stream resumes from `Last-Event-ID` across restarts, over the events kept (a day).
///
/// Hosts sharing the database flush one at a time: a flush first takes the cursor's lease (renewed each
/// batch, `leaseMilliseconds`), so no event is handed on twice; a host that finds the lease taken looks
/// again shortly until the holder has handed its events on too. A host that dies holding the lease
/// holds it until it runs out; then its last batch may be handed on again (the fan-out tolerates that).
final class WorkspaceEvents: Sendable {
    private let database: any SQLDatabase
    private let pubsub: any PubSubBroker
    private let clock: any WallClock
    private let fanOut = Mutex<(@Sendable ([WorkspaceEvent]) async throws -> Void)?>(nil)
    /// One flush at a time; a flush asked for meanwhile runs once more after it. `scheduled`: one is
    /// about to start.
    private let flushing = Mutex<(running: Bool, again: Bool, scheduled: Bool)>((false, false, false))
    /// How long a flush waits to gather events: one flush then hands on many changes' events (one read,
    /// one cursor write) instead of one flush per change competing for the database writer.
    static let gatherMilliseconds = 5
    /// Events already published to live streams by this process.
    private let published = Atomic<Int64>(0)
    /// Who flushes, when hosts share the database (the cursor's lease holder).
    private let flusher = ResourceID.make("flush")
    static let leaseMilliseconds: Int64 = 10_000
    static let retainedMs: Int64 = 86_400_000
    static let replayLimit = 1000

    init(database: any SQLDatabase, pubsub: any PubSubBroker, clock: any WallClock) {
        self.database = database
        self.pubsub = pubsub
        self.clock = clock
    }

    /// Where events go after live streams (webhooks); it must tolerate seeing an event twice after a crash.
    func onFlush(_ fanOut: @escaping @Sendable ([WorkspaceEvent]) async throws -> Void) {
        self.fanOut.withLock { $0 = fanOut }
    }

    /// Writes events in the caller's transaction, a few statements for the lot.
    static func record(_ tx: SQLTransaction, _ items: [(TenantScope, String, JSONValue)], at: String) throws {
        guard !items.isEmpty else { return }
        let created = SQLValue.text(at)
        try tx.insert(into: "workspace_events", columns: ["workspace_id", "type", "data", "created_at"], rows: items.map { scope, type, data in
            [.text(scope.workspaceID), .text(type), .text(String(decoding: data.jsonBytes, as: UTF8.self)), created]
        })
    }

    /// Starts a flush without waiting for it: what a change calls after its commit. The delivery engine
    /// and request handlers must not wait, since under steady load a flush keeps finding new events.
    func flushSoon() {
        let start = flushing.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        guard start else { return }
        Task {
            try? await Task.sleep(for: .milliseconds(Self.gatherMilliseconds))
            flushing.withLock { $0.scheduled = false }
            await flush()
        }
    }

    /// Hands on every event after the cursor, returning when there is none left; one runs at a time (a
    /// call during a flush makes it look once more and returns at once).
    func flush() async {
        let start = flushing.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        // The lease is kept from one round to the next while changes keep coming (under steady load a
        // round runs every few milliseconds: taking and releasing it each time was two commits a round),
        // renewed when half of it is gone, and released when the flush stops.
        var leasedUntil: Int64? = nil
        while true {
            do {
                var leased = leasedUntil.map { clock.milliseconds < $0 - Self.leaseMilliseconds / 2 } ?? false
                if !leased, try await takeLease() {
                    leasedUntil = clock.milliseconds + Self.leaseMilliseconds
                    leased = true
                }
                if leased {
                    while try await flushBatch() {}
                } else {
                    leasedUntil = nil
                    if try await waiting() {
                        // Another host is flushing: it may have read before our events were written. Look
                        // again in a while rather than in a moment, as its loop hands them on meanwhile.
                        try? await Task.sleep(for: .milliseconds(50))
                        flushing.withLock { $0.again = true }
                    }
                }
            } catch {
                // The cursor did not move: the next flush (or the sweep) tries these events again.
            }
            if !anotherRound(stopping: false) {
                // Still running while the lease is released, so a flush asked for meanwhile runs again.
                if leasedUntil != nil {
                    try? await releaseLease()
                    leasedUntil = nil
                }
                if !anotherRound(stopping: true) { return }
            }
            try? await Task.sleep(for: .milliseconds(Self.gatherMilliseconds))
        }
    }

    /// Whether another round was asked for during this one (taking the ask); when none was and `stopping`,
    /// the flush ends here.
    private func anotherRound(stopping: Bool) -> Bool {
        flushing.withLock { state -> Bool in
            if state.again {
                state.again = false
                return true
            }
            if stopping { state.running = false }
            return false
        }
    }

    /// One batch: publish, fan out, advance the cursor. Returns whether there may be more.
    private func flushBatch() async throws -> Bool {
        let events = try await database.prepare("""
            SELECT \(WorkspaceEvent.selection) FROM workspace_events
            WHERE seq > (SELECT seq FROM event_cursors WHERE name = 'webhooks') ORDER BY seq LIMIT 500
            """).all(WorkspaceEvent.self)
        guard let last = events.last?.sequence else { return false }
        for event in events where event.sequence > published.load(ordering: .relaxed) {
            try await pubsub.publish(Self.topic(event.workspaceID), event.json)
        }
        published.store(max(published.load(ordering: .relaxed), last), ordering: .relaxed)
        if let fanOut = fanOut.withLock({ $0 }) { try await fanOut(events) }
        // Only while the lease is still ours (renewed for the next batch): a host whose lease ran out
        // (paused past it) must not move a cursor another host now moves.
        let moved = try await database.prepare("""
            UPDATE event_cursors SET seq = ?, flusher_until_ms = ? WHERE name = 'webhooks' AND seq < ? AND flusher = ?
            """).bind(last, clock.milliseconds + Self.leaseMilliseconds, last, flusher).run().changes
        return moved == 1 && events.count == 500
    }

    /// Takes the cursor's lease when nobody holds it, it is ours, or its holder let it run out.
    private func takeLease() async throws -> Bool {
        let now = clock.milliseconds
        return try await database.prepare("""
            UPDATE event_cursors SET flusher = ?, flusher_until_ms = ?
            WHERE name = 'webhooks' AND (flusher IS NULL OR flusher = ? OR flusher_until_ms < ?)
            """).bind(flusher, now + Self.leaseMilliseconds, flusher, now).run().changes == 1
    }

    private func releaseLease() async throws {
        try await database.prepare("UPDATE event_cursors SET flusher = NULL WHERE name = 'webhooks' AND flusher = ?").bind(flusher).run()
    }

    /// Whether events wait after the cursor (while another host holds the lease).
    private func waiting() async throws -> Bool {
        try await database.prepare("""
            SELECT 1 AS waiting FROM workspace_events WHERE seq > (SELECT seq FROM event_cursors WHERE name = 'webhooks') LIMIT 1
            """).first() != nil
    }

    /// The sweep's part: hand on what a crash left behind, and drop events older than a day.
    func sweep() async throws {
        await flush()
        let before = Timestamp.at(milliseconds: clock.milliseconds - Self.retainedMs)
        try await database.prepare("""
            DELETE FROM workspace_events WHERE created_at < ? AND seq <= (SELECT seq FROM event_cursors WHERE name = 'webhooks')
            """).bind(before).run()
    }

    static func topic(_ workspaceID: String) -> String { "workspace:" + workspaceID }

    /// A passing state to live streams only (someone is typing): not stored, not numbered, not sent to
    /// webhooks, not replayed to a stream that reconnects — it is stale by then.
    func announce(_ scope: TenantScope, _ type: String, _ data: JSONValue) async {
        _ = try? await pubsub.publish(Self.topic(scope.workspaceID), ["type": .string(type), "data": data, "ephemeral": true])
    }

    func subscribe(_ scope: TenantScope) async throws -> Subscription {
        try await pubsub.subscribe(Self.topic(scope.workspaceID))
    }

    /// The events after `lastID`, or nil when that id cannot be resumed from (not one of this
    /// workspace's kept events, or more were missed than a replay holds).
    func since(_ scope: TenantScope, lastID: String) async throws -> [WorkspaceEvent]? {
        guard let seq = Int64(lastID),
              try await database.prepare("SELECT 1 FROM workspace_events WHERE workspace_id = ? AND seq = ?").bind(scope.workspaceID, seq).first() != nil else {
            return nil
        }
        let events = try await database.prepare("""
            SELECT \(WorkspaceEvent.selection) FROM workspace_events WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?
            """).bind(scope.workspaceID, seq, Self.replayLimit + 1).all(WorkspaceEvent.self)
        guard events.count <= Self.replayLimit else { return nil }
        return events
    }
}

/// One change in a workspace.
struct WorkspaceEvent: Sendable {
    let sequence: Int64
    let workspaceID: String
    let type: String
    let data: JSONValue
    let at: String

    var id: String { String(sequence) }

    var json: JSONValue {
        ["id": .string(id), "type": .string(type), "created_at": .string(at), "data": data]
    }
}

extension WorkspaceEvent: SQLRecord {
    enum Columns: String, SQLColumn { case seq, workspace_id, type, data, created_at }

    init(row: SQLRecordRow<Columns>) throws {
        sequence = try row.decode(Int64.self, forKey: .seq)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        type = try row.decode(String.self, forKey: .type)
        data = try row.decode(JSONValue.self, forKey: .data)
        at = try row.decode(String.self, forKey: .created_at)
    }
}
