import Foundation
import OzziRuntime

extension WorkerTestHost {
    /// The worker's SQL database opened from outside the host, as an operator's tool would open it: its
    /// SQLite file in the data folder, or (`OZZI_TEST_ENGINE=postgres`) its schema on the test PostgreSQL.
    /// For tests that look at what was stored, or write what a crashed host left behind. `owner` names another
    /// worker whose database it is (the api's, in a host started for the voice agent).
    public func database(_ name: String, of owner: String? = nil) async throws -> any SQLDatabase {
        let worker = owner ?? self.worker
        if TestBackends.shared {
            let url = try String(contentsOfFile: dataDirectory + "/.test-postgres-url", encoding: .utf8)
            return try PostgresDatabase(url: url, schema: name == worker ? worker : worker + "_" + name)
        }
        return try SQLiteDatabase(path: dataDirectory + "/\(worker)/d1/\(name).sqlite")
    }
}
