/// A Redis client bound to one event loop: commands go over one connection, subscriptions over a second
/// (Redis lets a subscribed connection send nothing but subscription commands). Both reconnect with
/// backoff when the server goes away; subscriptions are restored on the new connection.
///
/// Close it (`close()`) before its loop stops.
public final class RedisClient: @unchecked Sendable {
    public let url: RedisURL
    public let loop: EventLoop
    /// Called on the loop thread for each message of a subscription.
    public typealias Handler = @Sendable (RedisMessage) -> Void

    // Everything below is touched only on `loop`'s thread.
    private let commands: RedisConnection
    private let subscriber: RedisConnection
    private var channels: [String: Handler] = [:]
    private var patterns: [String: Handler] = [:]
    /// Callers of `subscribe`/`psubscribe` waiting for the server's acknowledgement, oldest first.
    private var acknowledgements: [Topic: [(Result<Void, RedisError>) -> Void]] = [:]

    private enum Topic: Hashable {
        case channel(String)
        case pattern(String)
    }

    /// A client that dials nothing until `open()`: a host makes it with its bindings, before its loops
    /// run, and opens it at start. Until then commands fail with `.unavailable`.
    /// `connectTimeout` is the URL's `connect_timeout` unless given, and 5 seconds when neither says.
    public init(url: RedisURL, loop: EventLoop, name: String = "ozzi", connectTimeout: Duration? = nil) {
        self.url = url
        self.loop = loop
        let connectTimeout = connectTimeout ?? .seconds(url.connectTimeoutSeconds ?? 5)
        let timeout = UInt64(connectTimeout.components.seconds * 1_000 + connectTimeout.components.attoseconds / 1_000_000_000_000_000)
        commands = RedisConnection(url: url, name: "\(name)-commands", loop: loop, connectTimeoutMilliseconds: timeout)
        subscriber = RedisConnection(url: url, name: "\(name)-subscriptions", loop: loop, connectTimeoutMilliseconds: timeout)
    }

    /// Connects to `url` on `loop`; a server that cannot be reached now (or does not answer within
    /// `connectTimeout`) is an error naming the (masked) URL. `name` prefixes the connections' names in
    /// `CLIENT LIST`.
    public static func connect(to url: RedisURL, on loop: EventLoop, name: String = "ozzi",
                               connectTimeout: Duration? = nil) async throws(RedisError) -> RedisClient {
        let client = RedisClient(url: url, loop: loop, name: name, connectTimeout: connectTimeout)
        try await client.open()
        return client
    }

    /// Dials both connections (on the loop, which must be running); a server that cannot be reached now
    /// is an error naming the masked URL, and the client is then closed.
    public func open() async throws(RedisError) {
        let opened: Result<Void, RedisError> = await withCheckedContinuation { continuation in
            loop.perform { self.open { continuation.resume(returning: $0) } }
        }
        if case .failure(let error) = opened {
            await close()
            throw error
        }
    }

    private func open(_ done: @escaping (Result<Void, RedisError>) -> Void) {
        subscriber.onPush = { [weak self] in self?.received($0) }
        subscriber.onReady = { [weak self] in self?.restoreSubscriptions() }
        commands.open { [self] result in
            guard case .success = result else { return done(result) }
            subscriber.open(done)
        }
    }

    // MARK: - Commands

    /// Sends any command (`EVALSHA`, `GET`, ...) and returns its reply; an error reply is thrown as `.server`.
    public func send(_ arguments: [String]) async throws(RedisError) -> RedisReply {
        try await send(bytes: arguments.map { Array($0.utf8) })
    }

    /// `send` with binary-safe arguments.
    public func send(bytes arguments: [[UInt8]]) async throws(RedisError) -> RedisReply {
        let result: Result<RedisReply, RedisError> = await withCheckedContinuation { continuation in
            let accepted = loop.perform { self.commands.send(arguments) { continuation.resume(returning: $0) } }
            // A call racing the host's shutdown: the stopped loop dropped it, so it fails here, not never.
            if !accepted { continuation.resume(returning: .failure(.closed)) }
        }
        let reply = try result.get()
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Publishes `payload` on `channel`; returns how many subscribed connections (across every host) got it.
    @discardableResult
    public func publish(_ channel: String, _ payload: [UInt8]) async throws(RedisError) -> Int {
        let reply = try await send(bytes: [Array("PUBLISH".utf8), Array(channel.utf8), payload])
        guard let count = reply.integer else { throw .unexpectedReply(reply) }
        return Int(count)
    }

    // MARK: - Subscriptions

    /// Subscribes to `channel` (replacing an earlier handler of it); returns once the server has
    /// acknowledged, so a message published after that reaches `handler`. Throws `.unavailable` while the
    /// connection is down; when it drops before the acknowledgement, waits for the reconnect's.
    public func subscribe(_ channel: String, _ handler: @escaping Handler) async throws(RedisError) {
        try await subscribe(.channel(channel), handler)
    }

    /// Subscribes to every channel matching the glob-style `pattern` (`PSUBSCRIBE`).
    public func psubscribe(_ pattern: String, _ handler: @escaping Handler) async throws(RedisError) {
        try await subscribe(.pattern(pattern), handler)
    }

    /// Ends the subscription to `channel`; messages already on their way to it are dropped.
    public func unsubscribe(_ channel: String) async {
        await unsubscribe(.channel(channel))
    }

    /// Ends the pattern subscription to `pattern`.
    public func punsubscribe(_ pattern: String) async {
        await unsubscribe(.pattern(pattern))
    }

    private func subscribe(_ topic: Topic, _ handler: @escaping Handler) async throws(RedisError) {
        let result: Result<Void, RedisError> = await withCheckedContinuation { continuation in
            let accepted = loop.perform {
                let resume = { (result: Result<Void, RedisError>) in continuation.resume(returning: result) }
                guard self.subscriber.sendSubscription(Self.command(subscribe: true, topic, [topic])) else {
                    return resume(.failure(self.subscriber.state == .closed ? .closed : .unavailable(self.url)))
                }
                self.setHandler(handler, for: topic)
                self.acknowledgements[topic, default: []].append(resume)
            }
            if !accepted { continuation.resume(returning: .failure(.closed)) }
        }
        try result.get()
    }

    private func unsubscribe(_ topic: Topic) async {
        await loop.submit { self.unsubscribeOnLoop(topic) }
    }

    /// Ends the subscription to `channel` unless `stillWanted()`, asked on the loop just before.
    func unsubscribe(_ channel: String, unless stillWanted: @escaping @Sendable () -> Bool) {
        loop.perform {
            if !stillWanted() { self.unsubscribeOnLoop(.channel(channel)) }
        }
    }

    private func unsubscribeOnLoop(_ topic: Topic) {
        setHandler(nil, for: topic)
        // While reconnecting there is nothing to send: the new connection only subscribes what is left.
        subscriber.sendSubscription(Self.command(subscribe: false, topic, [topic]))
    }

    private func setHandler(_ handler: Handler?, for topic: Topic) {
        switch topic {
        case .channel(let name): channels[name] = handler
        case .pattern(let name): patterns[name] = handler
        }
    }

    /// A new subscription connection knows nothing: subscribe it to everything this client holds. Callers
    /// still waiting for an acknowledgement get it from these.
    private func restoreSubscriptions() {
        if !channels.isEmpty {
            subscriber.sendSubscription(Self.command(subscribe: true, .channel(""), channels.keys.map { .channel($0) }))
        }
        if !patterns.isEmpty {
            subscriber.sendSubscription(Self.command(subscribe: true, .pattern(""), patterns.keys.map { .pattern($0) }))
        }
    }

    private static func command(subscribe: Bool, _ kind: Topic, _ topics: [Topic]) -> [[UInt8]] {
        let verb = switch kind {
        case .channel: subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE"
        case .pattern: subscribe ? "PSUBSCRIBE" : "PUNSUBSCRIBE"
        }
        return [Array(verb.utf8)] + topics.map { topic in
            switch topic {
            case .channel(let name), .pattern(let name): Array(name.utf8)
            }
        }
    }

    /// A push on the subscription connection: `[message, channel, payload]`,
    /// `[pmessage, pattern, channel, payload]`, or an acknowledgement `[(p)subscribe, name, count]`.
    private func received(_ reply: RedisReply) {
        guard let items = reply.array, let kind = items.first?.string else { return }
        switch (kind, items.count) {
        case ("message", 3):
            guard let channel = items[1].string, case .bulk(let payload) = items[2] else { return }
            channels[channel]?(RedisMessage(channel: channel, payload: payload))
        case ("pmessage", 4):
            guard let pattern = items[1].string, let channel = items[2].string, case .bulk(let payload) = items[3] else { return }
            patterns[pattern]?(RedisMessage(channel: channel, pattern: pattern, payload: payload))
        case ("subscribe", 3), ("psubscribe", 3):
            guard let name = items[1].string else { return }
            acknowledge(kind == "subscribe" ? .channel(name) : .pattern(name), .success(()))
        default:
            break
        }
    }

    private func acknowledge(_ topic: Topic, _ result: Result<Void, RedisError>) {
        guard var waiting = acknowledgements[topic], !waiting.isEmpty else { return }
        let first = waiting.removeFirst()
        acknowledgements[topic] = waiting.isEmpty ? nil : waiting
        first(result)
    }

    // MARK: - Closing

    /// Closes both connections (after the replies already asked for); later calls fail with `.closed`.
    public func close() async {
        await loop.submit {
            self.commands.close()
            self.subscriber.close()
            let waiting = self.acknowledgements.values.flatMap { $0 }
            self.acknowledgements = [:]
            self.channels = [:]
            self.patterns = [:]
            for resume in waiting { resume(.failure(.closed)) }
        }
    }
}
