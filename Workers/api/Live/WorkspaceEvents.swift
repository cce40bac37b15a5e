import OzziRuntime
import Synchronization

/// A workspace's changes as they happen (message status, inbound messages, contact and group changes),
/// for live streams and outgoing webhooks.
///
/// Each event gets an id `<boot>.<n>`; the last `retained` events of every workspace are kept in memory,
/// so a stream that reconnects with `Last-Event-ID` after a short gap gets what it missed. An id from an
/// earlier run of the host, or one older than what is kept, cannot be resumed (the stream says so).
final class WorkspaceEvents: Sendable {
    private let pubsub: PubSub
    private let boot = Crypto.hex(Crypto.randomBytes(4))
    private let counter = Atomic<Int>(0)
    private let recent = Mutex<[String: [WorkspaceEvent]]>([:])
    private let listeners = Mutex<[@Sendable ([WorkspaceEvent]) -> Void]>([])
    let retained: Int

    init(pubsub: PubSub, retained: Int = 1000) {
        self.pubsub = pubsub
        self.retained = retained
    }

    /// Also tells `listener` of every event (outgoing webhooks); it must not block.
    func listen(_ listener: @escaping @Sendable ([WorkspaceEvent]) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    func publish(_ scope: TenantScope, type: String, data: JSONValue, at: String) {
        publish([(scope, type, data)], at: at)
    }

    func publish(_ items: [(TenantScope, String, JSONValue)], at: String) {
        guard !items.isEmpty else { return }
        let events = items.map { scope, type, data in
            let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
            return WorkspaceEvent(id: "\(boot).\(n)", workspaceID: scope.workspaceID, type: type, data: data, at: at)
        }
        recent.withLock { recent in
            for event in events {
                recent[event.workspaceID, default: []].append(event)
                if recent[event.workspaceID]!.count > retained * 2 { recent[event.workspaceID]!.removeFirst(retained) }
            }
        }
        for event in events { pubsub.publish(Self.topic(event.workspaceID), event.json) }
        for listener in listeners.withLock({ $0 }) { listener(events) }
    }

    static func topic(_ workspaceID: String) -> String { "workspace:" + workspaceID }

    func subscribe(_ scope: TenantScope) -> Subscription {
        pubsub.subscribe(Self.topic(scope.workspaceID))
    }

    /// The events after `lastID`, or nil when that id cannot be resumed from.
    func since(_ scope: TenantScope, lastID: String) -> [WorkspaceEvent]? {
        let parts = lastID.split(separator: ".")
        guard parts.count == 2, parts[0] == boot, let n = Int(parts[1]) else { return nil }
        return recent.withLock { recent -> [WorkspaceEvent]? in
            let events = recent[scope.workspaceID] ?? []
            let kept = events.suffix(retained)
            if let first = kept.first, first.sequence > n + 1 { return nil }  // the gap is longer than what is kept
            return kept.filter { $0.sequence > n }
        }
    }
}

/// One change in a workspace.
struct WorkspaceEvent: Sendable {
    let id: String
    let workspaceID: String
    let type: String
    let data: JSONValue
    let at: String

    var sequence: Int { Int(id.split(separator: ".").last ?? "") ?? 0 }

    var json: JSONValue {
        ["id": .string(id), "type": .string(type), "created_at": .string(at), "data": data]
    }
}
