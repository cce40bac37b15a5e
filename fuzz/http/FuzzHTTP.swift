import FuzzSupport

/// Bytes from a client, fed to `HTTPRequestParser` and the connection's state machine twice — whole, and
/// cut into the pieces the input's split byte chooses — which must give the same events (see
/// `ConnectionModel.Event.agrees(with:)` for the two ways they may differ).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let options = HTTPOptions(flags: input.flags)
    let whole = ConnectionModel(payload: input.payload, options: options)
    whole.run(input.payload.isEmpty ? [] : [0..<input.payload.count])
    let pieces = input.pieces
    guard pieces.count > 1 else { return 0 }
    let cut = ConnectionModel(payload: input.payload, options: options)
    cut.run(pieces)
    let agree = whole.events.count == cut.events.count && zip(whole.events, cut.events).allSatisfy { $0.agrees(with: $1) }
    if !agree {
        Fuzzer.report("whole input:")
        for event in whole.events { Fuzzer.report("  \(event)") }
        Fuzzer.report("in \(pieces.count) pieces \(pieces.map(\.count)):")
        for event in cut.events { Fuzzer.report("  \(event)") }
        Fuzzer.check(false, "the same bytes cut differently gave different events")
    }
    return 0
}

@main enum FuzzHTTP {
    static func main() { Fuzzer.run(fuzzHTTP) }
}
