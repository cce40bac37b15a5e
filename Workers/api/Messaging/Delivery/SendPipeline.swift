import Logging
import OzziRuntime
import Synchronization

/// Claimed sends on their way to providers, many at once: `SendSlots` decides which may start (bounded
/// per provider account and per host, accounts in turn); each start is first marked `dispatched` (so a
/// crash after it is known to be ambiguous, and one before it is known to be safe to send again), then
/// its provider call runs as a task of its own; results are recorded in batches. A slow or stalled call
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
        var slots: SendSlots<Send>
        /// Started by the slots, not yet marked dispatched.
        var ready: [(account: String, item: Send)] = []
        var dispatching = false
        var results: [Result] = []
        var recording = false
        /// Every message from `submit` until its result is recorded: a duplicate job for one of these
        /// must leave it alone.
        var owned: Set<String> = []
        var idle: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>
    private let database: any SQLDatabase
    private let record: @Sendable ([Result]) async throws -> Void
    private let logger: Logger

    init(maxInFlight: Int, maxInFlightPerAccount: Int, database: any SQLDatabase, logger: Logger,
         record: @escaping @Sendable ([Result]) async throws -> Void) {
        state = Mutex(State(slots: SendSlots(total: maxInFlight, perAccount: maxInFlightPerAccount)))
        self.database = database
        self.logger = logger
        self.record = record
    }

    func owns(_ messageID: String) -> Bool {
        state.withLock { $0.owned.contains(messageID) }
    }

    /// Sends of `account` waiting for a slot.
    func backlog(_ account: String) -> Int {
        state.withLock { $0.slots.backlog(account) }
    }

    /// Takes claimed sends (their messages are `sending`, not yet dispatched).
    func submit(_ sends: [(account: String, item: Send)]) {
        guard !sends.isEmpty else { return }
        let dispatch = state.withLock { state -> Bool in
            for send in sends {
                state.owned.insert(send.item.message.id)
                state.slots.enqueue(send.item, account: send.account)
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

    private static func busy(_ state: State) -> Bool {
        !state.owned.isEmpty || state.dispatching || state.recording
    }

    /// Moves what the slots let start into `ready`; true when a dispatch turn must be started.
    private static func takeReady(_ state: inout State) -> Bool {
        let started = state.slots.start()
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
            do {
                try await markDispatched(batch.map(\.item.message.id))
            } catch {
                // Not marked, so not sent: each is recorded as a transient failure and tried again later.
                logger.error("could not mark sends dispatched; they will be retried", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                for send in batch {
                    finished(send.account, (send.item.message, send.item.outgoing.providerName,
                                            .transient(code: "dispatch", message: "\(error)", retryAfterSeconds: nil)))
                }
                continue
            }
            call(batch)
        }
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

    private func markDispatched(_ ids: [String]) async throws {
        try await database.prepare("UPDATE messages SET dispatched = 1 WHERE id IN (SELECT value FROM \(database.dialect.elements())) AND status = 'sending'")
            .bind(SQLList.json(ids)).run()
    }

    /// A call ended: its slot goes to the next send, its result to the next record turn.
    private func finished(_ account: String, _ result: Result) {
        finished([(account, result)])
    }

    /// A batch call ended: its slots and results together, under one lock.
    private func finished(_ done: [(account: String, result: Result)]) {
        let (dispatch, recordNow) = state.withLock { state -> (Bool, Bool) in
            for (account, result) in done {
                state.slots.finish(account: account)
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
                    state.owned.subtract(batch.map(\.message.id))
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
