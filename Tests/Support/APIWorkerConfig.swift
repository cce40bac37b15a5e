import Foundation

/// The host configuration tests run the api worker with: every binding it needs (what
/// `wrangler-like.toml` grants it), on an ephemeral port, a fast password hash, and the vars given.
public enum APIWorkerConfig {
    /// The api worker's migrations in this checkout.
    public static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Workers/api/migrations").path

    /// `limits` is TOML for `[server.limits]`.
    public static func toml(dataDirectory: String, vars: [String: String] = [:], secrets: [String] = [], limits: String = "") -> String {
        let allVars = ["SCRYPT_N": "1024"].merging(vars) { $1 }
        return """
        [server]
        port = 0
        loops = 1
        data_dir = "\(dataDirectory)"
        access_log = false

        [server.limits]
        \(limits)

        [[workers]]
        name = "api"
        module = "api"
        routes = ["/api/*"]
        kv_namespaces = [{ binding = "KV" }]
        d1_databases = [{ binding = "DB", migrations_dir = "\(migrations)" }]
        r2_buckets = [{ binding = "FILES" }]
        pubsub = [{ binding = "LIVE" }]
        queues = { producers = [{ binding = "JOBS", queue = "api-jobs" }, { binding = "DELIVERY", queue = "api-delivery" }, { binding = "WEBHOOKS", queue = "api-webhooks" }], consumers = [{ queue = "api-jobs", max_batch_timeout = 0 }, { queue = "api-delivery", max_batch_size = 100, max_batch_timeout = 0 }, { queue = "api-webhooks", max_batch_timeout = 0 }] }
        allowed_outbound_hosts = ["http://127.0.0.1:*"]
        secrets = [\(secrets.map { "\"\($0)\"" }.joined(separator: ", "))]
        [workers.vars]
        \(allVars.sorted { $0.key < $1.key }.map { "\($0.key) = \"\($0.value)\"" }.joined(separator: "\n"))
        """
    }
}
