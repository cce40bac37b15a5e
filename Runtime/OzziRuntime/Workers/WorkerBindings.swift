/// The bindings a worker's configuration grants, by binding name. A worker reaches nothing else.
public struct WorkerBindings: Sendable {
    public var kv: [String: any KVNamespace] = [:]
    public var databases: [String: any SQLDatabase] = [:]
    public var buckets: [String: any Bucket] = [:]
    public var queues: [String: any QueueProducer] = [:]
    public var services: [String: ServiceBinding] = [:]
    public var pubsub: [String: any PubSubBroker] = [:]
    /// Outbound HTTP, limited to `allowed_outbound_hosts`; nil denies every call.
    public var outbound: OutboundFetcher?
    /// Programs, limited to `allowed_commands`; nil denies every one.
    public var commands: CommandRunner?
    /// Token buckets shared with other hosts (`RedisTokenBuckets`); nil gives the worker its own in process.
    public var tokenBuckets: (any TokenBuckets)?

    public init() {}
}
