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
        let gathered = GatheredTransactions<Int, Int>(database: database) { tx, n in
            try tx.run("INSERT INTO items (n) VALUES (?)", n)
            return n * 2
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for n in 0..<200 { group.addTask { (n, try await gathered.run(n)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 200 && answers.allSatisfy { $0.value == $0.key * 2 }, "each answers its own result")
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 200)
        let transactions = database.transactions.withLock { $0 }
        #expect(transactions < 200, "writes that arrived while one transaction ran shared the next: \(transactions) transactions")
    }

    @Test func anItemThatFailsFailsAlone() async throws {
        let (database, path) = try database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await database.prepare("CREATE TABLE items (n INTEGER PRIMARY KEY CHECK (n <> 13))").run()
        let gathered = GatheredTransactions<Int, Int>(database: database) { tx, n in
            try tx.run("INSERT INTO items (n) VALUES (?)", n)
            return n
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<50 { group.addTask { (n, (try? await gathered.run(n)) != nil) } }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.filter { !$0.value }.map(\.key) == [13])
        #expect(try await database.prepare("SELECT count(*) AS n FROM items").first()?.integer("n") == 49)
    }
}
