import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The client in Clients/OzziAPI is generated from the committed openapi.json; that file must be the
/// document the api worker serves now, or the client speaks to an API that no longer exists. (CI also
/// regenerates the Swift code from it: `scripts/generate-client.sh --check`.)
@Suite struct CommittedDocumentTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Clients/OzziAPI/openapi.json")

    @Test func theCommittedDocumentIsTheServedOne() async throws {
        let api = try await WorkerTestHost.start("api")
        defer { Task { await api.stop() } }
        let served = try await api.call("GET", "/api/v1/openapi.json")
        #expect(served.status == 200)
        let committed = try JSONValue(jsonBytes: Array(try Data(contentsOf: Self.committed)))
        let changes = Self.differences(committed, try JSONValue(jsonBytes: Array(served.body.utf8)))
        #expect(changes.isEmpty, """
            Clients/OzziAPI/openapi.json is stale (run scripts/generate-client.sh and commit what it writes); it differs at
            \(changes.prefix(20).joined(separator: "\n"))
            """)
    }

    /// Where two documents differ, as JSON pointers (`/paths/~1api~1v1~1contacts/post`), outermost first.
    static func differences(_ old: JSONValue, _ new: JSONValue, at pointer: String = "") -> [String] {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            return Set(a.keys).union(b.keys).sorted().flatMap { key in
                let child = pointer + "/" + key.replacing("~", with: "~0").replacing("/", with: "~1")
                guard let left = a[key], let right = b[key] else { return [child + (a[key] == nil ? " (added)" : " (removed)")] }
                return differences(left, right, at: child)
            }
        case (.array(let a), .array(let b)) where a.count == b.count:
            return zip(a, b).enumerated().flatMap { differences($1.0, $1.1, at: pointer + "/\($0)") }
        default:
            return old == new ? [] : [pointer.isEmpty ? "/" : pointer]
        }
    }
}
