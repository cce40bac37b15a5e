import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The document is a contract: every operation has schemas and examples, each example is valid against its
/// own schema (checked by jsonschema, not by the server's validator), and the server keeps what it promises.
@Suite struct APIContractTests {
    @Test func everyOperationHasSchemasAndValidExamples() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let document = try await api.call("GET", "/api/v1/openapi.json")
        let file = NSTemporaryDirectory() + "openapi-\(UUID().uuidString).json"
        try document.body.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let check = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("openapi_contract.py"), file])
        #expect(check.stdout.hasSuffix(" 0 problems\n"), "\(check.stdout)\(check.stderr)")
    }

    /// A method the server knows but a route does not take is a 405 naming the ones it does, QUERY included
    /// (http-parser predates it); a well-formed method nobody registered is a 501.
    @Test func methodsARouteDoesNotTakeAre405WithAllow() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        for method in ["QUERY", "PUT", "TRACE"] {
            let answer = try await api.call(method, "/api/v1/contacts")
            #expect(answer.status == 405, "\(method): \(answer.status) \(answer.body)")
            #expect(answer.headers["allow"]?.contains("POST") == true, "\(method): \(answer.headers)")
        }
        #expect(try await api.call("BREW", "/api/v1/contacts").status == 501)
    }
}
