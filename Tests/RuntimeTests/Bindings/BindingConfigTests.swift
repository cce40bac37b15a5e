import Foundation
import Testing
@testable import OzziRuntime

@Suite struct BindingConfigTests {
    let loader = ConfigLoader(file: "w.toml", modules: ["probe"], environment: [:])

    @Test func everyBindingKindParses() throws {
        let config = try loader.parse("""
        [[workers]]
        name = "a"
        module = "probe"
        allowed_outbound_hosts = ["https://api.twilio.com", "http://127.0.0.1:*"]
        kv_namespaces = [{ binding = "CACHE" }, { binding = "SESSIONS", id = "sessions-v2" }]
        d1_databases = [{ binding = "DB", database_name = "main", migrations_dir = "migrations" }]
        r2_buckets = [{ binding = "MEDIA", bucket_name = "media" }]
        services = [{ binding = "B", service = "b" }]
        pubsub = [{ binding = "LIVE" }]
        [workers.queues]
        producers = [{ binding = "JOBS", queue = "jobs" }]
        consumers = [{ queue = "jobs", max_batch_size = 50, max_batch_timeout = 0.5, max_retries = 5, dead_letter_queue = "jobs-dlq", retry_delay = 2 }]
        [workers.triggers]
        crons = ["*/5 * * * *", "0 0 * * *"]

        [[workers]]
        name = "b"
        module = "probe"
        """)
        let bindings = config.workers[0].bindings
        #expect(bindings.kvNamespaces == [.init(binding: "CACHE", id: "cache"), .init(binding: "SESSIONS", id: "sessions-v2")])
        #expect(bindings.databases == [.init(binding: "DB", databaseName: "main", migrationsDirectory: "migrations")])
        #expect(bindings.buckets == [.init(binding: "MEDIA", bucketName: "media")])
        #expect(bindings.producers == [.init(binding: "JOBS", queue: "jobs")])
        var consumer = QueueConsumerSettings(queue: "jobs")
        consumer.maxBatchSize = 50
        consumer.maxBatchTimeout = 0.5
        consumer.maxRetries = 5
        consumer.deadLetterQueue = "jobs-dlq"
        consumer.retryDelay = 2
        #expect(bindings.consumers == [consumer])
        #expect(bindings.services == [.init(binding: "B", service: "b")])
        #expect(bindings.pubsub == ["LIVE"])
        #expect(bindings.allowedOutboundHosts.map(\.description) == ["https://api.twilio.com", "http://127.0.0.1:*"])
        #expect(bindings.crons.map(\.expression) == ["*/5 * * * *", "0 0 * * *"])
        #expect(config.workers[1].bindings.allowedOutboundHosts.isEmpty, "outbound is denied by default")
    }

    func error(_ workerTOML: String) -> ConfigError? {
        do {
            _ = try loader.parse("[[workers]]\nname = \"a\"\nmodule = \"probe\"\n" + workerTOML)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return nil
        }
    }

    @Test func mistakesNameWorkerAndKey() {
        #expect(error("hyperdrive = [{ binding = \"X\" }]")?.key == "hyperdrive")
        #expect(error("kv_namespaces = [{ binding = \"X\", preview_id = \"y\" }]")?.key == "kv_namespaces.preview_id")
        #expect(error("kv_namespaces = [{ id = \"y\" }]")?.key == "kv_namespaces.binding")
        #expect(error("kv_namespaces = [{ binding = \"not valid\" }]")?.message.contains("not an identifier") == true)
        #expect(error("kv_namespaces = [{ binding = \"X\" }]\nr2_buckets = [{ binding = \"X\" }]")?.message == "two bindings share this name")
        #expect(error("services = [{ binding = \"S\", service = \"ghost\" }]")?.message == "no worker named 'ghost' in this file")
        #expect(error("allowed_outbound_hosts = [\"api.twilio.com\"]")?.key == "allowed_outbound_hosts")
        #expect(error("[workers.triggers]\ncrons = [\"61 * * * *\"]")?.message.contains("minute field") == true)
        #expect(error("[workers.queues]\nconsumers = [{ queue = \"q\", max_batch_size = 500 }]")?.key == "queues.consumers.max_batch_size")
        #expect(error("[workers.queues]\nconsumers = [{ queue = \"q\", dead_letter_queue = \"q\" }]")?.message == "a queue cannot be its own dead-letter queue")
        #expect(error("d1_databases = [{ binding = \"DB\", database_name = \"../escape\" }]")?.key == "d1_databases.database_name")
        #expect(error("[workers.queues]\nconsumers = [{ queue = \"q\" }]\n[[workers]]\nname = \"b\"\nmodule = \"probe\"\n[workers.queues]\nconsumers = [{ queue = \"q\" }]")?
            .message == "queue 'q' already has a consumer, worker 'a'")
    }

    @Test func ungrantedBindingsAreClearErrors() throws {
        let env = WorkerEnv(name: "widget", dataDirectory: "/tmp", logger: .init(label: "t"))
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "KV namespace", name: "CACHE")) { try env.kv("CACHE") }
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "SQL database", name: "DB")) { try env.database("DB") }
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "bucket", name: "M")) { try env.bucket("M") }
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "queue producer", name: "Q")) { try env.queue("Q") }
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "service binding", name: "API")) { try env.service("API") }
        #expect(throws: BindingError.notGranted(worker: "widget", kind: "pub/sub binding", name: "LIVE")) { try env.pubsub("LIVE") }
        #expect(BindingError.notGranted(worker: "widget", kind: "KV namespace", name: "CACHE").description
            == "worker 'widget' has no KV namespace named 'CACHE' in its configuration")
        #expect(!env.outbound.permits("https://api.twilio.com/x"), "no allowed_outbound_hosts: every call is denied")
    }
}

extension BindingConfigTests {
    /// Two workers binding one `bucket_name` share the bucket, as in R2 (the api's uploads are what
    /// video-render reads); it lives with the first worker that binds it, where it always was.
    @Test func workersBindingOneBucketNameShareIt() async throws {
        let data = try scratchDirectory()
        let config = try loader.parse("""
        [server]
        data_dir = "\(data)"
        [[workers]]
        name = "a"
        module = "probe"
        r2_buckets = [{ binding = "MEDIA", bucket_name = "media" }, { binding = "OWN", bucket_name = "own" }]
        [[workers]]
        name = "b"
        module = "probe"
        r2_buckets = [{ binding = "SOURCE", bucket_name = "media" }]
        """)
        let factory = BindingFactory(config: config, backends: try HostBackends(config, redisLoop: nil),
                                     queues: try QueueRegistry(directory: data + "/queues"), directory: WorkerDirectory(logger: .init(label: "t")),
                                     pubsub: PubSub(), clock: SystemClock())
        let a = try factory.bindings(for: config.workers[0]), b = try factory.bindings(for: config.workers[1])
        try await #require(a.buckets["MEDIA"]).put("clips/one.mp4", Array("frames".utf8))
        #expect(try await b.buckets["SOURCE"]?.get("clips/one.mp4")?.1 == Array("frames".utf8))
        #expect(FileManager.default.fileExists(atPath: data + "/a/r2/media/index.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: data + "/b/r2"))
        #expect(try await a.buckets["OWN"]?.get("clips/one.mp4") == nil)
    }
}
