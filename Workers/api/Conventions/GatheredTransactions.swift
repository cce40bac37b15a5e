import OzziRuntime
import Synchronization

/// Many small writes that arrive at once, made in few transactions: while one transaction runs, the
/// items that arrive gather and go together in the next (a group commit). The items are applied by
/// `apply`, in arrival order, inside the shared transaction: one at a time (`each`), or all at once when
/// writing them together is cheaper than one by one (a statement that inserts many rows); if that
/// transaction fails, its items are tried again one transaction each, so one item that cannot be written
/// fails alone. `committed`, when
/// given, runs once for each transaction that committed, with its outputs, before their callers are
/// answered: what must follow a commit (a queue send) goes once for the batch.
///
/// Under a steady flood, batches stay small unless they wait: each transaction is short, so only the few
/// items that arrived during it go into the next. With `gather`, after a batch of more than one item (the
/// sign that items overlap) the next waits that long for more, unless `full` are waiting already; a lone
/// item still commits at once. (PostgreSQL's `commit_delay` is the same trade: a little latency under
/// load for far fewer commits.)
///
/// What it saves is the commit: a write transaction that changes a message costs its WAL pages (the
/// row and each index it touches) whatever it holds, so 100 webhook events in one commit cost little
/// more than one.
final class GatheredTransactions<Item: Sendable, Output: Sendable>: Sendable {
    /// Applies the items in order, answering one output per item.
    typealias Apply = @Sendable (SQLTransaction, [Item]) throws -> [Output]
    typealias Committed = @Sendable ([Output]) async -> Void

    private struct State {
        var waiting: [(item: Item, answer: @Sendable (Result<Output, any Error>) -> Void)] = []
        var running = false
    }

    private let database: any SQLDatabase
    private let apply: Apply
    private let committed: Committed?
    private let gather: Duration
    private let full: Int
    private let pause: @Sendable (Duration) async -> Void
    private let state = Mutex(State())

    /// `pause` waits out the gathering (a test's own stands in for the clock).
    init(database: any SQLDatabase, gather: Duration = .zero, full: Int = 128, committed: Committed? = nil,
         pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }, apply: @escaping Apply) {
        self.database = database
        self.gather = gather
        self.full = full
        self.pause = pause
        self.committed = committed
        self.apply = apply
    }

    /// Items applied one at a time by `each`.
    convenience init(database: any SQLDatabase, gather: Duration = .zero, full: Int = 128, committed: Committed? = nil,
                     pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
                     each: @escaping @Sendable (SQLTransaction, Item) throws -> Output) {
        self.init(database: database, gather: gather, full: full, committed: committed, pause: pause) { tx, items in try items.map { try each(tx, $0) } }
    }

    /// How many items wait for the next transaction.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Applies `item` in the next transaction; answers what `apply` returned for it once that committed.
    func run(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { answer in enqueue([(item, { @Sendable in answer.resume(with: $0) })]) }
    }

    /// Applies `items`, together, in the next transaction (a caller with many at once: one at a time, the
    /// first would start a transaction alone); answers each one's output or error, in order.
    func run(_ items: [Item]) async -> [Result<Output, any Error>] {
        guard !items.isEmpty else { return [] }
        return await withCheckedContinuation { answer in
            let answers = Mutex((results: [Result<Output, any Error>?](repeating: nil, count: items.count), left: items.count))
            enqueue(items.enumerated().map { index, item in
                (item, { result in
                    let done = answers.withLock { answers -> [Result<Output, any Error>]? in
                        answers.results[index] = result
                        answers.left -= 1
                        return answers.left == 0 ? answers.results.map { $0! } : nil
                    }
                    if let done { answer.resume(returning: done) }
                })
            })
        }
    }

    private func enqueue(_ items: [(item: Item, answer: @Sendable (Result<Output, any Error>) -> Void)]) {
        let start = state.withLock { state -> Bool in
            state.waiting += items
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { Task { await turns() } }
    }

    private func turns() async {
        var overlapping = false
        while true {
            if overlapping, gather > .zero, state.withLock({ $0.waiting.count < full }) { await pause(gather) }
            let batch = state.withLock { state in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.running = false }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            overlapping = batch.count > 1
            let apply = self.apply
            let items = batch.map(\.item)
            do {
                let outputs = try await database.transaction { tx in try apply(tx, items) }
                precondition(outputs.count == items.count, "apply answered \(outputs.count) outputs for \(items.count) items")
                await committed?(outputs)
                for (waiting, output) in zip(batch, outputs) { waiting.answer(.success(output)) }
            } catch {
                guard batch.count > 1 else {
                    batch[0].answer(.failure(error))
                    continue
                }
                for waiting in batch {
                    let item = waiting.item
                    do {
                        let output = try await database.transaction { tx in try apply(tx, [item])[0] }
                        await committed?([output])
                        waiting.answer(.success(output))
                    } catch {
                        waiting.answer(.failure(error))
                    }
                }
            }
        }
    }
}
