import Logging
import OzziRuntime
import Synchronization

/// Claimed sends on their way to providers, many at once: `SendSlots`, one per channel, decide which may
/// start (bounded per provider account and per host, accounts in turn); each start is first marked
/// `dispatched` (so a crash after it is known to be ambiguous, and one before it is known to be safe to
/// send again), then its provider call runs as a task of its own; results are recorded in batches. A slow or stalled call
/// holds one slot until its timeout, never the queue consumer or another account.
///
/// The database work is batched by turns: while one dispatch or record transaction runs, what becomes
/// ready meanwhile gathers and goes in the next, so transactions never serialize the sends.
final class SendPipeline: Sendable {
    struct Send: Sendable {
        let message: MessageStore.Due
        let outgoing: Outgoing
    }

    typealias Result = (message: MessageStore.Due, provider: String, result: SendResult)

    private struct State {
        /// Each channel's own: an SMS is a call, an email one of a batch call's (the limits are `SendLimits.InFlight`).
        var slots: [MessageChannel: SendSlots<Send>]
        /// Started by the slots, not yet marked dispatched.
        var ready: [(account: String, item: Send)] = []
        var dispatching = false
        var results: [Result] = []
        var recording = false
        /// Every message from `submit` until its result is recorded: a duplicate job for one of these
        /// must leave it alone. Counted: a message this host claims again (another host took its first
        /// claim for a stopped host's) is here twice until both are done.
        var owned: [String: Int] = [:]
        var idle: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        /// Past the shutdown deadline: no send starts any more.
        var closed = false

        mutating func disown(_ id: String) {
            if let count = owned[id] { owned[id] = count == 1 ? nil : count - 1 }
        }
    }

    private let state: Mutex<State>
    private let database: any SQLDatabase
    /// This host's claim (`messages.claimed_by`): a send is called only while its claim is still this host's.
    private let host: String
    private let metrics: DeliveryMetrics
    private let record: @Sendable ([Result]) async throws -> Void
    private let logger: Logger

    init(limits: SendLimits, database: any SQLDatabase, host: String, metrics: DeliveryMetrics, logger: Logger,
         record: @escaping @Sendable ([Result]) async throws -> Void) {
        state = Mutex(State(slots: Dictionary(uniqueKeysWithValues: MessageChannel.allCases.map { channel in
            (channel, SendSlots(total: limits.inFlight(channel).total, perAccount: limits.inFlight(channel).perAccount))
        })))
        self.database = database
        self.host = host
        self.metrics = metrics
        self.logger = logger
        self.record = record
    }

    func owns(_ messageID: String) -> Bool {
        state.withLock { $0.owned[messageID] != nil }
    }

    /// Sends of `account` on `channel` waiting for a slot.
    func backlog(_ account: String, _ channel: MessageChannel) -> Int {
        state.withLock { $0.slots[channel]?.backlog(account) ?? 0 }
    }

    /// Takes claimed sends (their messages are `sending`, not yet dispatched).
    func submit(_ sends: [(account: String, item: Send)]) {
        guard !sends.isEmpty else { return }
        let dispatch = state.withLock { state -> Bool in
            for send in sends {
                state.owned[send.item.message.id, default: 0] += 1
                state.slots[send.item.message.channel]!.enqueue(send.item, account: send.account)
            }
            return Self.takeReady(&state)
        }
        if dispatch { startDispatching() }
    }

    /// Waits until nothing is waiting, in flight or unrecorded (graceful shutdown; tests), or until the
    /// task is cancelled (the shutdown deadline passed).
    func drained() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    guard Self.busy(state), !Task.isCancelled else { return true }
                    state.idle[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.idle.removeValue(forKey: id) }?.resume()
        }
    }

    /// The host gave up waiting (its shutdown deadline passed): no further dispatch turn starts, and sends
    /// not yet dispatched stay claimed and `sending`, for the next start or another host to send again
    /// (`DeliveryEngine.settleGone`). A turn already marking its sends still calls them (marked, they can
    /// only go to review elsewhere, never out twice); calls made still record their results.
    func close() {
        let dropped = state.withLock { state -> Int in
            state.closed = true
            defer { state.ready = [] }
            return state.ready.count + state.slots.values.reduce(0) { $0 + $1.waitingCount }
        }
        if dropped > 0 { logger.notice("stopping with sends not dispatched; the next start sends them", metadata: ["count": "\(dropped)"]) }
    }

    private static func busy(_ state: State) -> Bool {
        !state.owned.isEmpty || state.dispatching || state.recording
    }

    /// Moves what the slots let start into `ready`; true when a dispatch turn must be started.
    private static func takeReady(_ state: inout State) -> Bool {
        guard !state.closed else { return false }
        var started: [(account: String, item: Send)] = []
        for channel in MessageChannel.allCases { started += state.slots[channel]!.start() }
        guard !started.isEmpty else { return false }
        state.ready.append(contentsOf: started)
        guard !state.dispatching else { return false }
        state.dispatching = true
        return true
    }

    private func startDispatching() {
        Task { await dispatchTurns() }
    }

    /// Marks the ready sends dispatched, one transaction per turn, and starts their calls.
    private func dispatchTurns() async {
        while true {
            let batch = state.withLock { state -> [(account: String, item: Send)] in
                defer { state.ready = [] }
                if state.ready.isEmpty { state.dispatching = false }
                return state.ready
            }
            guard !batch.isEmpty else { return wakeIfIdle() }
            let marked: Set<MessageClaim>
            do {
                marked = try await markDispatched(batch.map(\.item.message))
            } catch {
                // Not marked, so not sent: each is recorded as a transient failure and tried again later.
                logger.error("could not mark sends dispatched; they will be retried", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                for send in batch {
                    finished(send.account, (send.item.message, send.item.outgoing.providerName,
                                            .transient(code: "dispatch", message: "\(error)", retryAfterSeconds: nil)))
                }
                continue
            }
            let ours = batch.filter { marked.contains(MessageClaim($0.item.message)) }
            if ours.count < batch.count { lost(batch.filter { !marked.contains(MessageClaim($0.item.message)) }) }
            call(ours)
        }
    }

    /// Sends whose claim is no longer this host's (another host settled it, taking this one for stopped):
    /// not called, not recorded; their slots go to the next sends.
    private func lost(_ sends: [(account: String, item: Send)]) {
        logger.warning("claims settled by another host; not sending them", metadata: ["count": "\(sends.count)"])
        let dispatch = state.withLock { state -> Bool in
            for send in sends {
                metrics.count(result: "claim_lost", provider: send.item.outgoing.providerName)
                state.slots[send.item.message.channel]!.finish(account: send.account)
                state.disown(send.item.message.id)
            }
            return Self.takeReady(&state)
        }
        if dispatch { startDispatching() }
    }

    /// Starts the provider calls of a dispatched turn: each SMS alone; an account's emails in groups of
    /// up to its provider's batch size (Resend takes 100 in one request).
    private func call(_ batch: [(account: String, item: Send)]) {
        var emails: [String: [(account: String, item: Send, email: OutgoingEmail, provider: any EmailProvider)]] = [:]
        var accounts: [String] = []
        for send in batch {
            switch send.item.outgoing {
            case .sms(let sms, let provider):
                Task {
                    let result = await provider.send(sms)
                    finished(send.account, (send.item.message, provider.name, result))
                }
            case .email(let email, let provider):
                if emails[send.account] == nil { accounts.append(send.account) }
                emails[send.account, default: []].append((send.account, send.item, email, provider))
            }
        }
        for account in accounts {
            let sends = emails[account]!
            let size = max(1, sends[0].provider.maxBatch)
            for start in stride(from: 0, to: sends.count, by: size) {
                let group = Array(sends[start..<min(start + size, sends.count)])
                Task {
                    let provider = group[0].provider
                    let results = await provider.send(group.map(\.email))
                    finished(group.enumerated().map { index, send in
                        let result = index < results.count ? results[index]
                            : .unknown(code: "provider", message: "the provider answered \(results.count) results for \(group.count) emails")
                        return (send.account, (send.item.message, provider.name, result))
                    })
                }
            }
        }
    }

    /// Marks the sends whose claim is still this host's (same host, same message version); answers those
    /// marked, the only ones to call. Marked, a send is never sent again by a host that settles it (it goes
    /// to review), so two hosts cannot both call it. (A later claim of the same message by this host, made
    /// after another host settled the first, is marked too if both are in one turn: then only the later
    /// one is called, and a crash before its call sends it to review rather than again.)
    private func markDispatched(_ messages: [MessageStore.Due]) async throws -> Set<MessageClaim> {
        let host = self.host
        // Each listed send found by id (`claimed_by || ''`: not by `messages_claimed`, which SQLite chose, walking
        // every send this host has in flight, thousands for email, and looking each up in the list).
        return try await database.transaction { tx in
            MessageClaim.returned(try tx.all("""
                UPDATE messages SET dispatched = 1 WHERE id IN (SELECT value FROM \(tx.dialect.elements())) AND status = 'sending' AND claimed_by || '' = ?
                RETURNING id, version
                """, SQLList.json(messages.map(\.id)), host))
        }
    }

    /// A call ended: its slot goes to the next send, its result to the next record turn.
    private func finished(_ account: String, _ result: Result) {
        finished([(account, result)])
    }

    /// A batch call ended: its slots and results together, under one lock.
    private func finished(_ done: [(account: String, result: Result)]) {
        let (dispatch, recordNow) = state.withLock { state -> (Bool, Bool) in
            for (account, result) in done {
                state.slots[result.message.channel]!.finish(account: account)
                state.results.append(result)
            }
            let dispatch = Self.takeReady(&state)
            guard !state.recording else { return (dispatch, false) }
            state.recording = true
            return (dispatch, true)
        }
        if dispatch { startDispatching() }
        if recordNow { Task { await recordTurns() } }
    }

    /// Records results, one transaction per turn. A failed write keeps its results and tries again: a
    /// result is never dropped (the message would stay `sending` and go to review after a restart).
    private func recordTurns() async {
        var failures = 0
        while true {
            let batch = state.withLock { state -> [Result] in
                if state.results.isEmpty { state.recording = false }
                return state.results
            }
            guard !batch.isEmpty else { return wakeIfIdle() }
            do {
                try await record(batch)
                failures = 0
                state.withLock { state in
                    state.results.removeFirst(batch.count)
                    for result in batch { state.disown(result.message.id) }
                }
            } catch {
                failures += 1
                logger.error("could not record send results; retrying", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                try? await Task.sleep(for: .milliseconds(min(5_000, 100 << min(failures, 6))))
            }
        }
    }

    private func wakeIfIdle() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !Self.busy(state) else { return [] }
            defer { state.idle = [:] }
            return Array(state.idle.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
