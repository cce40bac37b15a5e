import FuzzSupport
@testable import OzziRuntime

/// Bytes from a client after the upgrade, fed to a `WebSocketConnection` (wslay with our callbacks) over an
/// in-memory transport — whole, and in the pieces the split byte chooses — plus the handshake's key check.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzWebSocket(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let options = WebSocketOptions(flags: input.flags)
    checkHandshake(key: input.payload)
    let whole = SessionRun(payload: input.payload, pieces: input.payload.isEmpty ? [] : [0..<input.payload.count], options: options)
    let pieces = input.pieces
    guard pieces.count > 1 else { return 0 }
    let cut = SessionRun(payload: input.payload, pieces: pieces, options: options)
    if ClientFrames.haveNonASCIICloseReason(input.payload) { return 0 }
    if options.inputIsDeterministic, whole.inbound != cut.inbound {
        Fuzzer.report("whole input: \(whole.inbound)\nin pieces \(pieces.map(\.count)): \(cut.inbound)")
        Fuzzer.check(false, "the same frames cut differently reached the handler differently")
    }
    if options.outputIsDeterministic, !whole.outbound.agrees(withMoreReads: cut.outbound) {
        Fuzzer.report("whole input: \(whole.outbound)\nin pieces \(pieces.map(\.count)): \(cut.outbound)")
        Fuzzer.check(false, "the same frames cut differently got different answers")
    }
    return 0
}

/// `Sec-WebSocket-Key` is accepted exactly when it is base64 of 16 bytes; base64 round-trips.
private func checkHandshake(key bytes: [UInt8]) {
    let prefix = Array(bytes.prefix(48))
    Fuzzer.check(Base64.decode(Base64.encode(prefix)) == prefix, "base64 does not round-trip \(prefix)")
    let key = String(decoding: prefix.prefix(32), as: UTF8.self)
    let headers: HTTPHeaders = [
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key,
    ]
    let decoded = Base64.decode(key)
    let accept = WebSocketHandshake.acceptValue(for: headers)
    Fuzzer.check((accept != nil) == (decoded?.count == 16), "key \(key.debugDescription) accepted: \(accept != nil)")
    if let decoded {
        Fuzzer.check(Base64.decode(Base64.encode(decoded)) == decoded, "base64 does not round-trip \(decoded)")
    }
}

@main enum FuzzWebSocket {
    static func main() { Fuzzer.run(fuzzWebSocket) }
}
