import Foundation
import Synchronization
import OzziRuntime
import Testing
@testable import APIWorker

/// Writes that arrive together share transactions; each still answers its own result, and one that
/// cannot be written fails alone.
@Suite struct GatheredTransactionsTests {
    func database() throws -> (any SQLDatabase, String) {
        let path = NSTemporaryDirectory() + "gathered-\(UUID().uuidString).sqlite"
        let database = try SQLiteDatabase(path: path)
        return (database, path)
    }

    /// The batches handed to `committed`, in order.
    final class Handed: Sendable {
        let batches = Mutex<[[Int]]>([])
    }

    /// The database, counting the transactions made through it.
    final class Counting: SQLDatabase {
        let base: any SQLDatabase
        let transactions = Mutex(0)
        init(_ base: any SQLDatabase) { self.base = base }
        var dialect: SQLDialect { base.dialect }
        func execute(_ sql: String, _ values: [SQLValue]) async throws -> SQLResult { try await base.execute(sql, values) }
        func batch(_ statements: [SQLStatement]) async throws -> [SQLResult] { try await base.batch(statements) }
        func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLTransaction) throws -> T) async throws -> T {
            transactions.withLock { $0 += 1 }
            return try await base.transaction(body)
        }
    }

    @Test func concurrentWritesShareFewerTransactions() async throws {
        let (base, path) = try database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = Counting(base)
        try await database.prepare("CREATE TABLE items (n INTEGER PRIMARY KEY)").run()
        let committed = Handed()
        let gathered = GatheredTransactions<Int, Int>(database: database, committed: { outputs in committed.batches.withLock { $0.append(outputs) } }) { tx, n in
            try tx.run("INSERT INTO items (n) VALUES (?)", n)
            return n * 2
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    let output = try await gathered.run(n)
                    return (n, output, committed.batches.withLock { $0.joined().contains(output) })
                }
            }
            return try await group.reduce(into: [Int: (Int, Bool)]()) { $0[$1.0] = ($1.1, $1.2) }
        }
        #expect(answers.count == 200 && answers.allSatisfy { $0.value.0 == $0.key * 2 }, "each answers its own result")
        #expect(answers.allSatisfy { $0.value.1 }, "a caller is answered after its batch was handed to `committed`")
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 200)
        let transactions = database.transactions.withLock { $0 }
        #expect(transactions < 200, "writes that arrived while one transaction ran shared the next: \(transactions) transactions")
        let batches = committed.batches.withLock { $0 }
        #expect(batches.count == transactions && batches.joined().sorted() == (0..<200).map { $0 * 2 }, "each commit's outputs handed on once: \(batches)")
    }

    @Test func anItemThatFailsFailsAlone() async throws {
        let (database, path) = try database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await database.prepare("CREATE TABLE items (n INTEGER PRIMARY KEY CHECK (n <> 13))").run()
        let committed = Handed()
        let gathered = GatheredTransactions<Int, Int>(database: database, committed: { outputs in committed.batches.withLock { $0.append(outputs) } }) { tx, n in
            try tx.run("INSERT INTO items (n) VALUES (?)", n)
            return n
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<50 { group.addTask { (n, (try? await gathered.run(n)) != nil) } }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.filter { !$0.value }.map(\.key) == [13])
        #expect(committed.batches.withLock { Array($0.joined()) }.sorted() == (0..<50).filter { $0 != 13 }, "only what committed is handed on, once")
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 49)
    }

    /// A caller with many items hands them over at once: they share one transaction (one at a time, the
    /// first would have started one alone), and each answers its own result, a failing one alone.
    @Test func manyItemsOfOneCallerGoTogetherAndEachAnswers() async throws {
        let (base, path) = try database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = Counting(base)
        try await database.prepare("CREATE TABLE items (n INTEGER PRIMARY KEY CHECK (n <> 13))").run()
        let gathered = GatheredTransactions<Int, Int>(database: database) { tx, n in
            try tx.run("INSERT INTO items (n) VALUES (?)", n)
            return n * 2
        }
        let together = await gathered.run(Array(0..<10))
        #expect(together.map { try? $0.get() } == (0..<10).map { $0 * 2 })
        #expect(database.transactions.withLock { $0 } == 1)
        let failing = await gathered.run([12, 13, 14])
        #expect(failing.map { try? $0.get() } == [24, nil, 28], "the failing item fails alone")
        #expect(database.transactions.withLock { $0 } == 5, "the failed transaction, then one for each item")
        #expect(await gathered.run([]).isEmpty)
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 12)
    }

    /// With `gather`, a batch that follows one of several items waits for more (the test's pause lets two
    /// arrive); a lone item does not wait, so a quiet caller commits at once.
    @Test func afterAnOverlappingBatchTheNextGathersAndALoneItemDoesNotWait() async throws {
        let (database, path) = try database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await database.prepare("CREATE TABLE items (n INTEGER PRIMARY KEY)").run()
        final class Box: Sendable { let gathered = Mutex<GatheredTransactions<Int, Int>?>(nil) }
        let box = Box(), committed = Handed(), pausedAfter = Mutex<[Int]>([])
        let firstStarted = DispatchSemaphore(value: 0), releaseFirst = DispatchSemaphore(value: 0)
        @Sendable func arrive(_ items: [Int]) async {
            let gathered = box.gathered.withLock { $0! }
            for n in items { Task { _ = try await gathered.run(n) } }
            // Polled with a sleep, not `Task.yield()`: a yielding loop keeps a thread of the cooperative pool,
            // which the whole suite's in-process hosts share, busy while it waits.
            while gathered.waiting < items.count { try? await Task.sleep(for: .milliseconds(2)) }
        }
        let gathered = GatheredTransactions<Int, Int>(
            database: database, gather: .seconds(3_600), committed: { outputs in committed.batches.withLock { $0.append(outputs) } },
            pause: { _ in
                let batches = committed.batches.withLock { $0.count }
                pausedAfter.withLock { $0.append(batches) }
                if batches == 2 { await arrive([4, 5]) }
            },
            each: { tx, n in
                if n == 1 { firstStarted.signal(); releaseFirst.wait() }
                try tx.run("INSERT INTO items (n) VALUES (?)", n)
                return n
            })
        box.gathered.withLock { $0 = gathered }
        async let first = gathered.run(1)
        await withCheckedContinuation { done in DispatchQueue.global().async { firstStarted.wait(); done.resume() } }
        await arrive([2, 3])
        releaseFirst.signal()
        #expect(try await first == 1)
        // A bound for a hang (items 4 and 5 never gathered), not a timing check.
        for _ in 0..<6_000 where committed.batches.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(committed.batches.withLock { $0.map { $0.sorted() } } == [[1], [2, 3], [4, 5]])
        #expect(pausedAfter.withLock { $0.first } == 2, "no pause after the lone item's batch; one after the batch of two: \(pausedAfter.withLock { $0 })")
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 5)
    }
}
