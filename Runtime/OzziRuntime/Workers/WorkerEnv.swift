import Logging

/// What a worker's configuration grants it; a worker reaches nothing else (deny by default).
public struct WorkerEnv: Sendable {
    public let name: String
    /// Plain-text configuration from `[workers.vars]`.
    public let vars: [String: String]
    /// Secrets the worker declared, from the environment or `.dev.vars`.
    private let secrets: [String: String]
    /// The worker's own folder under the data dir.
    public let dataDirectory: String
    public let logger: Logger
    public let bindings: WorkerBindings
    /// The host's clock: the system's, or a test's `ManualClock` that the queue timers follow too.
    public let clock: any WallClock
    /// Token buckets for the worker's throughput limits: the host's shared ones, or its own in process.
    public let tokenBuckets: any TokenBuckets
    /// Counters, gauges and histograms shown at the host's `/__ozzi/metrics`, labelled with this worker.
    public let metrics: WorkerMetrics

    public init(
        name: String, vars: [String: String] = [:], secrets: [String: String] = [:], dataDirectory: String,
        logger: Logger, bindings: WorkerBindings = WorkerBindings(), clock: any WallClock = SystemClock(),
        metrics: WorkerMetrics? = nil
    ) {
        self.clock = clock
        self.metrics = metrics ?? WorkerMetrics(registry: MetricsRegistry(), worker: name)
        self.name = name
        self.vars = vars
        self.secrets = secrets
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.bindings = bindings
        tokenBuckets = bindings.tokenBuckets ?? LocalTokenBuckets(clock: clock)
    }

    public func kv(_ binding: String) throws -> any KVNamespace {
        try granted(bindings.kv[binding], kind: "KV namespace", binding)
    }

    public func database(_ binding: String) throws -> any SQLDatabase {
        try granted(bindings.databases[binding], kind: "SQL database", binding)
    }

    public func bucket(_ binding: String) throws -> any Bucket {
        try granted(bindings.buckets[binding], kind: "bucket", binding)
    }

    public func queue(_ binding: String) throws -> any QueueProducer {
        try granted(bindings.queues[binding], kind: "queue producer", binding)
    }

    public func service(_ binding: String) throws -> ServiceBinding {
        try granted(bindings.services[binding], kind: "service binding", binding)
    }

    public func pubsub(_ binding: String) throws -> any PubSubBroker {
        try granted(bindings.pubsub[binding], kind: "pub/sub binding", binding)
    }

    /// Outbound HTTP to the hosts `allowed_outbound_hosts` lists; any other call throws `OutboundError.denied`.
    public var outbound: OutboundFetcher {
        bindings.outbound ?? OutboundFetcher(worker: name, allowed: [])
    }

    /// The programs `allowed_commands` lists, run off the loop; any other throws `CommandError.denied`.
    public var commands: CommandRunner {
        bindings.commands ?? CommandRunner(worker: name, allowed: [])
    }

    private func granted<T>(_ value: T?, kind: String, _ binding: String) throws -> T {
        guard let value else { throw BindingError.notGranted(worker: name, kind: kind, name: binding) }
        return value
    }

    /// A declared secret's value; asking for an undeclared one is an error naming it.
    public func secret(_ name: String) throws -> String {
        guard let value = secrets[name] else { throw BindingError.notGranted(worker: self.name, kind: "secret", name: name) }
        return value
    }

    /// A var's value, or `defaultValue`.
    public func `var`(_ name: String, default defaultValue: String) -> String {
        vars[name] ?? defaultValue
    }
}

/// A worker asked for something its configuration does not grant.
public enum BindingError: Error, Equatable, CustomStringConvertible {
    case notGranted(worker: String, kind: String, name: String)

    public var description: String {
        switch self {
        case .notGranted(let worker, let kind, let name):
            "worker '\(worker)' has no \(kind) named '\(name)' in its configuration"
        }
    }
}
