@testable import APIWorker
import Foundation
import Logging
import OzziRuntime
import Testing

/// The generated credentials key when no secret is set: one per data folder, however many hosts share it.
@Suite struct CredentialKeyTests {
    @Test func hostsStartingTogetherOnOneDataFolderShareOneKey() async throws {
        let folder = NSTemporaryDirectory() + "ozzi-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = WorkerEnv(name: "api", dataDirectory: folder, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let keys = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try CredentialKey.load(env) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(keys).count == 1, "every host reads the key the first one wrote")
        #expect(try CredentialKey.load(env) == keys[0], "and a restart reads it again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["credentials.key"], "no drafts left behind")
    }
}
