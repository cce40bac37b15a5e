import FuzzSupport
@testable import OzziRuntime

/// One WebSocket session fed client bytes in pieces, with the handler and server actions the options ask
/// for; records what the handler received and what went back, and checks what must hold on the way.
struct SessionRun {
    struct Inbound: Equatable {
        var messages: [WebSocketMessage] = []
        var peerCloseCode: UInt16?
    }

    struct Outbound: Equatable {
        var frames: [ServerFrames.Frame] = []
        var closes: [MemoryTransport.Close] = []
        var finished = false

        /// Whether a run of the same bytes cut differently answered the same way. wslay sends its close
        /// ahead of pongs still queued, so a ping read together with what makes the server close gets no
        /// pong; the pongs of a run with fewer reads are a prefix of those with more.
        func agrees(withMoreReads other: Outbound) -> Bool {
            let pong = UInt8(10)
            let pongs = frames.filter { $0.opcode == pong }, otherPongs = other.frames.filter { $0.opcode == pong }
            return frames.filter { $0.opcode != pong } == other.frames.filter { $0.opcode != pong }
                && otherPongs.starts(with: pongs) && closes == other.closes && finished == other.finished
        }
    }

    private(set) var inbound = Inbound()
    private(set) var outbound = Outbound()

    init(payload: [UInt8], pieces: [Range<Int>], options: WebSocketOptions) {
        let transport = MemoryTransport()
        let session = WebSocketConnection(connection: transport, maxMessageBytes: options.maxMessageBytes)
        transport.session = session
        var serverClosed = false
        var outputWhenFinished: Int?
        for (index, piece) in pieces.enumerated() {
            // HTTPConnection drops input once it closes or lingers.
            if transport.isClosed || transport.lingering { break }
            let peerHadClosed = session.peerCloseCode != nil
            let taken = session.inbox.count
            payload[piece].withUnsafeBytes { session.received($0) }
            let new = session.inbox[taken...]
            Fuzzer.check(new.isEmpty || !peerHadClosed, "a message delivered after the peer's close frame")
            for message in new {
                Fuzzer.check(message.size <= options.maxMessageBytes, "a \(message.size)-byte message over the limit of \(options.maxMessageBytes)")
            }
            inbound.messages.append(contentsOf: new)
            if options.echoes {
                for message in new {
                    let wasFinished = session.finished
                    let sent = session.send(message)
                    Fuzzer.check(!(wasFinished && sent), "a finished session accepted a message to send")
                }
            }
            if options.closesAfterFirstMessage, !serverClosed, !inbound.messages.isEmpty {
                serverClosed = true
                session.close(code: WebSocketCloseCode.normal, reason: "bye")
            }
            if options.goesAwayAfterFirstRead, index == 0 {
                session.goingAway()
            }
            if session.finished {
                if let at = outputWhenFinished {
                    Fuzzer.check(transport.output.count == at, "the session wrote after it finished")
                } else {
                    outputWhenFinished = transport.output.count
                }
            }
        }
        if !options.endsWithoutEOF, !transport.isClosed {
            // HTTPConnection.readFailed: EOF while lingering closes; otherwise the session hears of it.
            if transport.lingering { transport.closeNow() } else { session.peerClosed() }
        }
        inbound.peerCloseCode = session.peerCloseCode
        outbound = Outbound(frames: ServerFrames.parse(transport.output), closes: transport.closes, finished: session.finished)
    }
}
