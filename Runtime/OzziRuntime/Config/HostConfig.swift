/// The validated configuration of a host: server settings and the workers it runs.
public struct HostConfig: Sendable {
    public struct Server: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8787
        /// Event loops; 0 means one per core.
        public var loops = 0
        public var dataDirectory = ".ozzi"
        public var accessLog = true
        /// Log one successful request in this many (5xx are always logged).
        public var accessLogSampleEvery = 1
        /// Access-log bytes buffered for a slow output before lines are dropped (and counted).
        public var accessLogBufferBytes = 4 * 1024 * 1024
        /// The bearer token of `/__ozzi/metrics` and `/__ozzi/tail`; without one they answer 404.
        public var opsToken: String?
        public var limits = ServerLimits()
        /// Shared engines for many hosts; none means the embedded ones (SQLite files, in-process).
        public var backends = Backends()

        public init() {}
    }

    /// `[server.backends]`: the engines hosts share. `OZZI_POSTGRES_URL` and `OZZI_REDIS_URL` override the
    /// file, so a deployment's credentials stay out of it.
    public struct Backends: Sendable, Equatable {
        /// SQL bindings (each worker in its own schema), queues, KV and cluster-wide claims.
        public var postgres: String?
        /// Pub/sub across hosts, shared rate limits and cache invalidation.
        public var redis: String?
        /// Prefixes every Redis key and channel, so several clusters (staging beside production) share
        /// one Redis without seeing each other's limits or events.
        public var namespace: String?

        public init(postgres: String? = nil, redis: String? = nil, namespace: String? = nil) {
            self.postgres = postgres
            self.redis = redis
            self.namespace = namespace
        }

        /// What every Redis key and channel of this cluster starts with.
        public var redisPrefix: String { "ozzi:" + (namespace.map { $0 + ":" } ?? "") }
    }

    public struct WorkerConfig: Sendable {
        public var name: String
        public var module: String
        public var routes: [RoutePattern]
        public var vars: [String: String]
        /// Declared secret names; values are resolved from the environment and `.dev.vars`.
        public var secretNames: [String]
        public var secrets: [String: String] = [:]
        public var bindings = BindingConfig()
    }

    /// What a worker may reach besides vars and secrets; everything else is denied.
    public struct BindingConfig: Sendable {
        public struct KV: Sendable, Equatable { public var binding: String; public var id: String }
        public struct Database: Sendable, Equatable {
            public var binding: String
            public var databaseName: String
            /// Absolute, or relative to the configuration file.
            public var migrationsDirectory: String?
        }
        public struct Bucket: Sendable, Equatable { public var binding: String; public var bucketName: String }
        public struct Producer: Sendable, Equatable { public var binding: String; public var queue: String }
        public struct Service: Sendable, Equatable { public var binding: String; public var service: String }

        public var kvNamespaces: [KV] = []
        public var databases: [Database] = []
        public var buckets: [Bucket] = []
        public var producers: [Producer] = []
        public var consumers: [QueueConsumerSettings] = []
        public var services: [Service] = []
        public var pubsub: [String] = []
        public var allowedOutboundHosts: [OutboundHostPattern] = []
        /// Programs the worker may run (`CommandRunner`).
        public var allowedCommands: [String] = []
        public var crons: [CronSchedule] = []

        public init() {}

        /// Every binding name, to check they are unique.
        var names: [String] {
            kvNamespaces.map(\.binding) + databases.map(\.binding) + buckets.map(\.binding) + producers.map(\.binding)
                + services.map(\.binding) + pubsub
        }
    }

    public var file: String
    public var server: Server
    public var workers: [WorkerConfig]

    /// The route table the host serves.
    public var routeTable: RouteTable {
        RouteTable(workers.flatMap { worker in worker.routes.map { ($0, worker.name) } })
    }
}
