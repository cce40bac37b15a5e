import OzziRuntime
import Synchronization

/// Many small writes that arrive at once, made in few transactions: while one transaction runs, the
/// items that arrive gather and go together in the next (a group commit). Each item is applied by
/// `apply` in arrival order inside the shared transaction; if that transaction fails, its items are
/// tried again one transaction each, so one item that cannot be written fails alone. `committed`, when
/// given, runs once for each transaction that committed, with its outputs, before their callers are
/// answered: what must follow a commit (a queue send) goes once for the batch.
///
/// What it saves is the commit: a write transaction that changes a message costs its WAL pages (the
/// row and each index it touches) whatever it holds, so 100 webhook events in one commit cost little
/// more than one.
final class GatheredTransactions<Item: Sendable, Output: Sendable>: Sendable {
    typealias Apply = @Sendable (SQLTransaction, Item) throws -> Output
    typealias Committed = @Sendable ([Output]) async -> Void

    private struct State {
        var waiting: [(item: Item, answer: CheckedContinuation<Output, any Error>)] = []
        var running = false
    }

    private let database: any SQLDatabase
    private let apply: Apply
    private let committed: Committed?
    private let state = Mutex(State())

    init(database: any SQLDatabase, committed: Committed? = nil, apply: @escaping Apply) {
        self.database = database
        self.committed = committed
        self.apply = apply
    }

    /// Applies `item` in the next transaction; answers what `apply` returned for it once that committed.
    func run(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { answer in
            let start = state.withLock { state -> Bool in
                state.waiting.append((item, answer))
                guard !state.running else { return false }
                state.running = true
                return true
            }
            if start { Task { await turns() } }
        }
    }

    private func turns() async {
        while true {
            let batch = state.withLock { state in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.running = false }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            let apply = self.apply
            let items = batch.map(\.item)
            do {
                let outputs = try await database.transaction { tx in try items.map { try apply(tx, $0) } }
                await committed?(outputs)
                for (waiting, output) in zip(batch, outputs) { waiting.answer.resume(returning: output) }
            } catch {
                guard batch.count > 1 else {
                    batch[0].answer.resume(throwing: error)
                    continue
                }
                for waiting in batch {
                    let item = waiting.item
                    do {
                        let output = try await database.transaction { tx in try apply(tx, item) }
                        await committed?([output])
                        waiting.answer.resume(returning: output)
                    } catch {
                        waiting.answer.resume(throwing: error)
                    }
                }
            }
        }
    }
}
