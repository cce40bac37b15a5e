import Foundation
import OzziRuntime

extension WorkerTestHost {
    /// The worker's SQL database opened from outside the host, as an operator's tool would open it: its
    /// SQLite file in the data folder, or (`OZZI_TEST_ENGINE=postgres`) its schema on the test PostgreSQL.
    /// For tests that look at what was stored, or write what a crashed host left behind.
    public func database(_ name: String) async throws -> any SQLDatabase {
        if TestBackends.shared {
            let url = try String(contentsOfFile: dataDirectory + "/.test-postgres-url", encoding: .utf8)
            return try PostgresDatabase(url: url, schema: name == worker ? worker : worker + "_" + name)
        }
        return try SQLiteDatabase(path: dataDirectory + "/\(worker)/d1/\(name).sqlite")
    }
}
