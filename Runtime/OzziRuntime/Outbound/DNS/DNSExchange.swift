/// One question's exchange with a name server, as events in and actions out: UDP first, TCP when the
/// answer comes truncated, one more attempt (with a new id) after a timeout. No sockets and no clock:
/// `DNSClient` does the I/O and reports what happened.
struct DNSExchange {
    enum Transport: Sendable, Equatable {
        case udp, tcp
    }

    enum Action: Equatable {
        /// Send this query on a new socket of that transport and wait for the answer until the timeout.
        case send([UInt8], over: Transport)
        /// What came was not the answer (another id or question: late, or spoofed): keep waiting.
        case keepWaiting
        case finish(Result<DNSAnswer, DNSError>)
    }

    /// CNAME hops followed inside one answer; a longer chain is a loop or abuse.
    static let maxChain = 8

    let question: DNSQuestion
    let server: String
    private let attempts: Int
    private var attemptsLeft: Int
    private var transport = Transport.udp
    private var id: UInt16 = 0
    private let nextID: () -> UInt16

    /// `nextID` gives each query's id: random in use, so that an off-path forger must guess it.
    init(_ question: DNSQuestion, server: String, attempts: Int, nextID: @escaping () -> UInt16) {
        self.question = question
        self.server = server
        self.attempts = max(1, attempts)
        attemptsLeft = max(1, attempts)
        self.nextID = nextID
    }

    mutating func start() -> Action {
        send()
    }

    /// Bytes came on the current socket (a UDP datagram, or a whole TCP message without its length).
    mutating func received(_ bytes: [UInt8]) -> Action {
        guard let message = try? DNSMessage(parsing: bytes), message.isResponse, message.id == id, message.questions.count == 1,
              question.matches(name: message.questions[0].name, type: message.questions[0].type, class: message.questions[0].class) else {
            // Over UDP anyone can send a datagram to our port; over TCP only the server speaks.
            return transport == .udp ? .keepWaiting : .finish(.failure(.malformed("the TCP answer does not answer \(question)")))
        }
        if message.truncated {
            guard transport == .udp else { return .finish(.failure(.malformed("the TCP answer to \(question) came truncated"))) }
            transport = .tcp
            attemptsLeft = attempts
            return send()
        }
        switch message.rcode {
        case 0:
            let records = Self.records(answering: question, in: message.answers)
            return .finish(.success(records.isEmpty ? .noRecords : .found(records)))
        case 3:
            return .finish(.success(.noSuchName))
        default:
            return .finish(.failure(.serverFailure(rcode: message.rcode, server: server)))
        }
    }

    /// Nothing (or nothing that was the answer) came before the timeout.
    mutating func timedOut() -> Action {
        attemptsLeft -= 1
        return attemptsLeft > 0 ? send() : .finish(.failure(.timedOut(server: server)))
    }

    /// The socket failed (refused, reset, closed mid-answer): the server cannot be asked.
    mutating func failed(_ error: DNSError) -> Action {
        .finish(.failure(error))
    }

    private mutating func send() -> Action {
        id = nextID()
        return .send(DNSMessage.query(id: id, question), over: transport)
    }

    /// The records of the asked type at the name, or at the end of the CNAME chain the answer spells out
    /// (a recursive server answers a TXT question for an alias with the CNAME and the target's TXT).
    static func records(answering question: DNSQuestion, in answers: [DNSRecord]) -> [DNSRecord] {
        var owner = question.name
        for _ in 0...maxChain {
            let here = answers.filter { DNSMessage.sameName($0.name, owner) }
            let matching = here.filter { $0.data.type == question.type }
            if !matching.isEmpty { return matching }
            guard let alias = here.lazy.compactMap({ record -> String? in
                if case .cname(let target) = record.data { target } else { nil }
            }).first else { return [] }
            owner = alias
        }
        return []
    }
}
