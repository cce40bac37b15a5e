import CHiredis
import CLibUV
import Glibc

/// One connection to a Redis server, through hiredis's async API on an event loop, that dials again with
/// backoff when the server goes away.
///
/// Async on the loop rather than blocking calls on the worker pool: a subscription is a connection that
/// waits for hours, and commands are small and many, so neither should hold a pool thread; hiredis only
/// parses and buffers, the loop does the waiting. (hiredis resolves a host name synchronously when it
/// dials: name the server by address, or by a name `/etc/hosts` answers.)
///
/// Loop-confined: made and used only on its loop's thread.
final class RedisConnection {
    enum State { case connecting, ready, waiting, closed }

    let url: RedisURL
    /// What `CLIENT LIST` shows for this connection.
    let name: String
    private let loop: EventLoop
    private var context: UnsafeMutablePointer<redisAsyncContext>?
    private(set) var state = State.connecting
    private var everReady = false
    private var backoff = RedisBackoff()
    /// Limits a dial (connect and handshake) while connecting, and waits out the backoff while waiting.
    private var timer: UnsafeMutablePointer<uv_timer_t>?
    /// How long a dial may take: a server that drops packets, or accepts and never answers, is unreachable.
    private let connectTimeout: UInt64
    private var firstConnect: ((Result<Void, RedisError>) -> Void)?
    /// Why the handshake failed, reported instead of the disconnect it causes.
    private var handshakeFailure: String?

    /// Called each time the connection is (again) ready: its owner restores what a new connection lacks.
    var onReady: () -> Void = {}
    /// Pub/sub replies: subscribe acknowledgements and messages.
    var onPush: (RedisReply) -> Void = { _ in }

    init(url: RedisURL, name: String, loop: EventLoop, connectTimeoutMilliseconds: UInt64) {
        self.url = url
        self.name = name
        self.loop = loop
        connectTimeout = connectTimeoutMilliseconds
    }

    /// Dials for the first time; `done` is told once, when the connection is ready or cannot be made.
    /// A server unreachable now is an error (no retry): the caller is starting up and should say so.
    func open(_ done: @escaping (Result<Void, RedisError>) -> Void) {
        firstConnect = done
        dial()
    }

    /// Sends one command; its reply (or why there is none) goes to `body`, on the loop.
    func send(_ arguments: [[UInt8]], _ body: @escaping (Result<RedisReply, RedisError>) -> Void) {
        guard state == .ready, let context else {
            body(.failure(state == .closed ? .closed : .unavailable(url)))
            return
        }
        send(arguments, on: context, body)
    }

    /// Sends a (P)(UN)SUBSCRIBE command, whose replies arrive through `onPush`. Returns false when the
    /// connection is not ready (the owner restores its subscriptions through `onReady`).
    @discardableResult
    func sendSubscription(_ arguments: [[UInt8]]) -> Bool {
        guard state == .ready, let context else { return false }
        let rc = Self.withArgv(arguments) { argc, argv, lengths in
            redisAsyncCommandArgv(context, { context, reply, _ in
                guard let context, let reply, let owner = context.pointee.data else { return }
                let connection = Unmanaged<RedisConnection>.fromOpaque(owner).takeUnretainedValue()
                connection.onPush(RedisReply(reply.assumingMemoryBound(to: redisReply.self)))
            }, nil, argc, argv, lengths)
        }
        return rc == REDIS_OK
    }

    /// Closes the connection after the replies already asked for; no reconnect follows.
    func close() {
        guard state != .closed else { return }
        state = .closed
        if let timer {
            uv_timer_stop(timer)
            UVHandle.close(timer)
            self.timer = nil
        }
        if let context { redisAsyncDisconnect(context) }
        finishFirstConnect(.failure(.closed))
    }

    // MARK: - Dialling

    private func dial() {
        state = .connecting
        handshakeFailure = nil
        guard let context = redisAsyncConnect(url.host, Int32(url.port)) else {
            lost("out of memory")
            return
        }
        if context.pointee.err != 0 {
            let reason = String(cString: context.pointee.errstr)
            redisAsyncFree(context)
            lost(reason)
            return
        }
        guard RedisSocketWatch.attach(context, to: loop) else {
            redisAsyncFree(context)
            lost("cannot watch the socket")
            return
        }
        // The context holds its connection until hiredis says it is gone (connect failed or disconnected).
        context.pointee.data = Unmanaged.passRetained(self).toOpaque()
        self.context = context
        redisAsyncSetConnectCallback(context) { context, status in
            guard status != REDIS_OK, let context else { return }
            RedisConnection.contextGone(context, reason: String(cString: context.pointee.errstr))
        }
        redisAsyncSetDisconnectCallback(context) { context, status in
            guard let context else { return }
            let reason = status == REDIS_OK ? "the connection closed" : String(cString: context.pointee.errstr)
            RedisConnection.contextGone(context, reason: reason)
        }
        start(timer: connectTimeout)
        // hiredis buffers these until the socket connects; PING's answer says the handshake is over.
        var handshake: [[String]] = []
        if let password = url.password {
            handshake.append(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { handshake.append(["SELECT", String(url.database)]) }
        handshake.append(["CLIENT", "SETNAME", name])
        handshake.append(["PING"])
        for (index, command) in handshake.enumerated() {
            send(command.map { Array($0.utf8) }, on: context) { [self] result in
                // A reply to a connection already given up (closed, or replaced) changes nothing.
                guard context == self.context, state == .connecting else { return }
                if case .success(.error(let message)) = result, handshakeFailure == nil {
                    handshakeFailure = "\(command[0]): \(message)"
                }
                guard case .success = result, index == handshake.count - 1 else { return }
                if handshakeFailure != nil { redisAsyncDisconnect(context) } else { ready() }
            }
        }
    }

    /// hiredis is freeing `context` (after a failed connect or a disconnect): release the hold it had.
    private static func contextGone(_ context: UnsafePointer<redisAsyncContext>, reason: String) {
        guard let owner = context.pointee.data else { return }
        let connection = Unmanaged<RedisConnection>.fromOpaque(owner).takeUnretainedValue()
        // Connect failure and disconnect may both report one context; only the first counts.
        guard connection.context.map({ UnsafePointer($0) == context }) == true else { return }
        connection.context = nil
        connection.lost(connection.handshakeFailure ?? reason)
        Unmanaged<RedisConnection>.fromOpaque(owner).release()
    }

    private func ready() {
        if let timer { uv_timer_stop(timer) }
        state = .ready
        everReady = true
        backoff.reset()
        finishFirstConnect(.success(()))
        onReady()
    }

    private func lost(_ reason: String) {
        guard state != .closed else { return }
        guard everReady else {
            state = .closed
            finishFirstConnect(.failure(.unreachable(url, reason: reason)))
            return
        }
        state = .waiting
        start(timer: backoff.next { UInt64.random(in: 0..<$0) })
    }

    private func start(timer delay: UInt64) {
        let timer = self.timer ?? {
            let made = UVHandle.allocate(uv_timer_t.self)
            uv_timer_init(loop.uv, made)
            UVHandle.retain(made, owner: self)
            // A pending reconnect must not keep a stopping loop alive.
            made.withMemoryRebound(to: uv_handle_t.self, capacity: 1) { uv_unref($0) }
            self.timer = made
            return made
        }()
        uv_timer_start(timer, { timer in
            let connection = UVHandle.owner(of: timer!, as: RedisConnection.self)
            switch connection.state {
            case .waiting: connection.dial()
            case .connecting: connection.abandonDial()
            case .ready, .closed: break
            }
        }, delay, 0)
    }

    /// The dial took too long: free its context now (a graceful disconnect would wait for the handshake's
    /// replies) and count it as lost.
    private func abandonDial() {
        guard let context else { return }
        self.context = nil
        let owner = context.pointee.data
        redisAsyncFree(context)
        if let owner { Unmanaged<RedisConnection>.fromOpaque(owner).release() }
        lost(handshakeFailure ?? "no answer within \(connectTimeout) ms")
    }

    private func finishFirstConnect(_ result: Result<Void, RedisError>) {
        let done = firstConnect
        firstConnect = nil
        done?(result)
    }

    // MARK: - Commands

    private final class ReplyHandler {
        let url: RedisURL
        let body: (Result<RedisReply, RedisError>) -> Void

        init(url: RedisURL, body: @escaping (Result<RedisReply, RedisError>) -> Void) {
            self.url = url
            self.body = body
        }
    }

    private func send(_ arguments: [[UInt8]], on context: UnsafeMutablePointer<redisAsyncContext>,
                      _ body: @escaping (Result<RedisReply, RedisError>) -> Void) {
        let handler = Unmanaged.passRetained(ReplyHandler(url: url, body: body)).toOpaque()
        let rc = Self.withArgv(arguments) { argc, argv, lengths in
            redisAsyncCommandArgv(context, { _, reply, privdata in
                // hiredis calls back exactly once per command: with the reply, or with none when the
                // connection went away first.
                let handler = Unmanaged<ReplyHandler>.fromOpaque(privdata!).takeRetainedValue()
                guard let reply else { return handler.body(.failure(.unavailable(handler.url))) }
                handler.body(.success(RedisReply(reply.assumingMemoryBound(to: redisReply.self))))
            }, handler, argc, argv, lengths)
        }
        if rc != REDIS_OK {
            Unmanaged<ReplyHandler>.fromOpaque(handler).release()
            body(.failure(.unavailable(url)))
        }
    }

    /// The arguments as the C arrays `redisAsyncCommandArgv` reads (and copies before returning).
    private static func withArgv(_ arguments: [[UInt8]],
                                 _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Int32) -> Int32 {
        let buffers = arguments.map { bytes in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: raw.count) }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var pointers = buffers.map { UnsafePointer<CChar>?(UnsafePointer($0)) }
        let lengths = arguments.map(\.count)
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { body(Int32(arguments.count), argv.baseAddress!, $0.baseAddress!) }
        }
    }
}
