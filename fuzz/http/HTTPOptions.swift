@testable import OzziRuntime

/// What the server around the parser does, chosen by the input's flag byte so the fuzzer reaches the
/// limits, streamed bodies and shutdown paths as well as the defaults.
struct HTTPOptions {
    var limits = ServerLimits()
    /// Which requests with a body are streamed, and up to how many bytes (a route table's answer).
    var streamedBodyLimit: @Sendable (HTTPRequestHead) -> Int? = { _ in nil }
    /// The handler answers a streamed request as soon as it starts, before its body ended.
    var answersStreamEarly = false
    /// Responses carry `Connection: close`.
    var closesAfterResponse = false
    /// Graceful shutdown begins right after the first response.
    var shutsDownAfterFirstResponse = false
    /// The input ends with the connection's timer firing instead of the peer's EOF.
    var timerFiresAtEnd = false

    /// Bits 0-1 limits, 2-3 streamed routes, 4 early answer, 5 `Connection: close`, 6 shutdown, 7 timer.
    init(flags: UInt8) {
        switch flags & 3 {
        case 1: (limits.maxHeaderBytes, limits.maxBodyBytes) = (128, 16)
        case 2: (limits.maxHeaderBytes, limits.maxBodyBytes) = (512, 256)
        case 3: (limits.maxHeaderBytes, limits.maxBodyBytes) = (64, 0)
        default: break
        }
        let bodyLimit = limits.maxBodyBytes
        switch flags >> 2 & 3 {
        case 1: streamedBodyLimit = { _ in bodyLimit }
        case 2: streamedBodyLimit = { $0.target.hasPrefix("/s") ? 8 : nil }
        case 3: streamedBodyLimit = { _ in 4 }
        default: break
        }
        answersStreamEarly = flags & 0x10 != 0
        closesAfterResponse = flags & 0x20 != 0
        shutsDownAfterFirstResponse = flags & 0x40 != 0
        timerFiresAtEnd = flags & 0x80 != 0
    }
}
