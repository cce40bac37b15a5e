import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// `/api/v1/openapi.json` lists exactly the routes the worker serves, and is a valid OpenAPI 3.1 document.
@Suite struct OpenAPITests {
    @Test func theDocumentMatchesTheRouterAndValidates() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let answer = try await api.call("GET", "/api/v1/openapi.json")
        #expect(answer.status == 200)
        #expect(answer["openapi"] == "3.1.0")
        var documented = Set<String>()
        for (path, operations) in answer.json["paths"]?.objectValue ?? [:] {
            for method in operations.objectValue?.keys ?? [:].keys { documented.insert(method.uppercased() + " " + path) }
        }
        let worker = try #require(api.host.workers["api"] as? any RoutedWorker)
        // Routes only the other workers reach (service bindings) are not the public API's, nor are the console's pages.
        let served = Set(worker.router.routes.filter { !worker.router.internalRoutes.contains($0.method + " " + $0.path) && $0.path.hasPrefix("/api/") }.map { route in
            route.method + " " + route.path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        })
        #expect(documented == served)
        #expect(served.count > 30)

        let file = NSTemporaryDirectory() + "openapi-\(UUID().uuidString).json"
        try answer.body.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try await Subprocess.run("/usr/bin/env", ["python3", "-c", """
            import json, sys
            from openapi_spec_validator import validate
            validate(json.load(open(sys.argv[1])))
            print("valid")
            """, file])
        #expect(check.stdout.contains("valid"), "openapi-spec-validator: \(check.stderr)")
    }
}
