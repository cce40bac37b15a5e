/// The validated configuration of a host: server settings and the workers it runs.
public struct HostConfig: Sendable {
    public struct Server: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8787
        /// Event loops; 0 means one per core.
        public var loops = 0
        public var dataDirectory = ".ozzi"
        public var accessLog = true
        public var limits = ServerLimits()

        public init() {}
    }

    public struct WorkerConfig: Sendable {
        public var name: String
        public var module: String
        public var routes: [RoutePattern]
        public var vars: [String: String]
        /// Declared secret names; values are resolved from the environment and `.dev.vars`.
        public var secretNames: [String]
        public var secrets: [String: String] = [:]
    }

    public var file: String
    public var server: Server
    public var workers: [WorkerConfig]

    /// The route table the host serves.
    public var routeTable: RouteTable {
        RouteTable(workers.flatMap { worker in worker.routes.map { ($0, worker.name) } })
    }
}
