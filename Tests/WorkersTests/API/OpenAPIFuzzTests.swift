import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// schemathesis against a live api worker: every check and every phase (the document's examples, coverage,
/// fuzzing, stateful sequences along its links) with a fixed seed and budget, and no finding allowed. The
/// policy (which answers each check accepts) is fuzz/openapi/schemathesis.toml; the credential, fuzz/openapi/hooks.py.
@Suite struct OpenAPIFuzzTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz/openapi").path

    @Test
    func schemathesisFindsNothing() async throws {
        let installed = try await Subprocess.run("/usr/bin/env", ["python3", "-c", "import schemathesis"])
        try #require(installed.status == 0, "schemathesis is missing: run scripts/setup.sh (python3 -m pip install schemathesis==4.32.5)")

        // Webhook URLs the fuzzer draws name hosts that do not resolve here: private targets allowed, the
        // document takes http too, and a URL is checked by its shape (WebhookEndpoint.body).
        let api = try await APIHost.start(.live, vars: ["WEBHOOKS_ALLOW_PRIVATE": "true"])
        defer { Task { await api.stop() } }
        // The session only mints the fuzzer's API keys (hooks.py): the fuzzer never holds it, so cannot sign it out.
        let session = try #require(try await api.signUp("fuzz@example.com").string("access_token"))
        // A platform admin, so the admin routes answer the fuzzer rather than refusing it (403) unread.
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        #expect(try await worker.grantPlatformAdmin(email: "fuzz@example.com"))
        // schemathesis and Hypothesis write their folders into the working directory.
        let work = NSTemporaryDirectory() + "schemathesis-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let process = try SpawnedProcess("/usr/bin/env", [
            "SCHEMATHESIS_HOOKS=\(Self.folder)/hooks.py", "OZZI_FUZZ_SESSION_TOKEN=\(session)", "NO_PROXY=127.0.0.1",
            "python3", "-m", "schemathesis.cli", "--config-file", "\(Self.folder)/schemathesis.toml",
            "run", api.base + "/api/v1/openapi.json", "--url", api.base,
            "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
            "--seed", "14", "--max-examples", "15", "--no-color",
        ], directory: work, mergeOutput: true)
        process.closeInput()
        let status = await process.wait()
        // The run's summary (operations, phases, cases) goes to the log either way.
        print(process.stdout.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n"))
        #expect(status == 0, "schemathesis found disagreements between the server and its document:\n\(process.stdout)")
    }
}
