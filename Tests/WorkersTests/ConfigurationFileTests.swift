import OzziRuntime
import OzziTestSupport
import Testing

/// The repository's `wrangler-like.toml`, which the host, the tests and the benchmarks all run.
@Suite struct ConfigurationFileTests {
    func load(env: String?) throws -> HostConfig {
        let text = try String(contentsOfFile: WorkerTestHost.configFile, encoding: .utf8)
        return try ConfigLoader(file: WorkerTestHost.configFile, modules: Set(["api", "widget", "form-embed", "voice-agent", "video-render"]),
                                environment: [:]).parse(text, env: env)
    }

    @Test func loadsAsShippedAndInEveryEnvironment() throws {
        let shipped = try load(env: nil)
        #expect(shipped.workers.map(\.name) == ["api", "widget", "form-embed", "voice-agent", "video-render"])
        #expect(try load(env: "production").server.host == "0.0.0.0")
        let test = try WorkerTestHost.configuration()
        #expect(test.server.port == 0)
        #expect(test.server.accessLog == false)
        // The test environment changes vars and outbound hosts, never a binding.
        for (a, b) in zip(shipped.workers, test.workers) {
            #expect(a.bindings.kvNamespaces == b.bindings.kvNamespaces && a.bindings.databases == b.bindings.databases
                    && a.bindings.buckets == b.bindings.buckets && a.bindings.producers == b.bindings.producers
                    && a.bindings.consumers == b.bindings.consumers && a.bindings.services == b.bindings.services
                    && a.bindings.pubsub == b.bindings.pubsub && a.routes == b.routes, "\(a.name)")
        }
    }

    /// One mount rule: every worker but the api writes root-relative routes, mounted with strip_prefix.
    @Test func everyWorkerButTheAPIIsMountedWithStripPrefix() throws {
        for worker in try load(env: nil).workers {
            let prefixed = worker.routes.filter { $0.path != "/" }
            #expect(!prefixed.isEmpty, "\(worker.name)")
            #expect(prefixed.allSatisfy { $0.stripPrefix == (worker.name != "api") }, "\(worker.name): \(worker.routes)")
        }
    }
}
