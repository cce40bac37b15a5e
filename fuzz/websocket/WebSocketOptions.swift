/// What the server side of the socket does, chosen by the input's flag byte.
struct WebSocketOptions {
    var maxMessageBytes = 1024 * 1024
    /// The handler echoes every message, as the probe worker's /ws route does.
    var echoes = false
    /// The handler closes the socket after the first message.
    var closesAfterFirstMessage = false
    /// The server begins shutting down after the first read.
    var goesAwayAfterFirstRead = false
    /// The input ends without the peer's EOF.
    var endsWithoutEOF = false

    /// Bits 0-1 message limit, 2 echo, 3 server close, 4 shutdown, 5 no EOF.
    init(flags: UInt8) {
        switch flags & 3 {
        case 1: maxMessageBytes = 16
        case 2: maxMessageBytes = 200
        case 3: maxMessageBytes = 4096
        default: break
        }
        echoes = flags & 0x04 != 0
        closesAfterFirstMessage = flags & 0x08 != 0
        goesAwayAfterFirstRead = flags & 0x10 != 0
        endsWithoutEOF = flags & 0x20 != 0
    }

    /// Whether what the server sends depends only on the bytes, not on when its own actions happen.
    var outputIsDeterministic: Bool { !echoes && !closesAfterFirstMessage && !goesAwayAfterFirstRead }
    /// Whether what the handler receives depends only on the bytes.
    var inputIsDeterministic: Bool { !closesAfterFirstMessage && !goesAwayAfterFirstRead }
}
