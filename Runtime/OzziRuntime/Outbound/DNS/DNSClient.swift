/// Asks one name server (recursive, as resolv.conf's are) for A, AAAA, CNAME, MX or TXT records: over
/// UDP, again over TCP when the answer is truncated, once more after a timeout. Each question runs on a
/// `BlockingPool` thread, so no event loop waits on the network.
///
/// Unlike `getaddrinfo`, it reads any record type, and it tells a name that does not exist
/// (`.noSuchName`) and a name without such records (`.noRecords`) apart from a server that failed or
/// did not answer (a thrown `DNSError`): a sending domain's check must not call a record missing because
/// the resolver was down.
public struct DNSClient: Sendable {
    public let server: DNSServerAddress
    /// How long each attempt waits for its answer.
    public let timeout: Duration
    /// Attempts per transport: 2 is one retry after a timeout.
    public let attempts: Int
    private let pool: BlockingPool

    public init(server: DNSServerAddress = .system(), timeout: Duration = .seconds(2), attempts: Int = 2, pool: BlockingPool = .shared) {
        self.server = server
        self.timeout = timeout
        self.attempts = attempts
        self.pool = pool
    }

    /// The answer for `name` and `type`; throws a `DNSError` when there is none to be had.
    public func query(_ name: String, _ type: DNSRecordType) async throws -> DNSAnswer {
        let question = try DNSQuestion(name, type)
        do {
            return try await pool.run { [self] in try exchange(question) }
        } catch let error as DNSError {
            throw error
        } catch {
            throw DNSError.unreachable("\(error)")
        }
    }

    /// The exchange's actions carried out with blocking sockets, on the calling (pool) thread.
    private func exchange(_ question: DNSQuestion) throws(DNSError) -> DNSAnswer {
        let peer = try DNSSocket.Peer(server)
        var exchange = DNSExchange(question, server: server.description, attempts: attempts) {
            Crypto.randomBytes(2).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        }
        var action = exchange.start()
        var socket: DNSSocket?
        var deadline = ContinuousClock.now
        while true {
            if case .finish(let result) = action { return try result.get() }
            do throws(DNSError) {
                switch action {
                case .finish:
                    preconditionFailure("handled above")
                case .send(let query, let transport):
                    // A new socket per attempt: a new source port, and nothing late from the last one.
                    deadline = ContinuousClock.now + timeout
                    socket = try DNSSocket(peer, stream: transport == .tcp, deadline: deadline)
                    guard let socket, try socket.send(query, until: deadline) else {
                        action = exchange.timedOut()
                        continue
                    }
                    action = try socket.receive(until: deadline).map { exchange.received($0) } ?? exchange.timedOut()
                case .keepWaiting:
                    action = try socket!.receive(until: deadline).map { exchange.received($0) } ?? exchange.timedOut()
                }
            } catch {
                action = exchange.failed(error)
            }
        }
    }
}
