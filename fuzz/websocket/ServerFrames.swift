import FuzzSupport

/// What the server wrote must be whole RFC 6455 server frames: unmasked, known opcodes, control frames
/// unfragmented and short, a close frame with a code a server may send, and nothing after it.
enum ServerFrames {
    struct Frame: Equatable {
        var opcode: UInt8
        var fin: Bool
        var payload: [UInt8]
    }

    /// The frames in `bytes`, checked.
    static func parse(_ bytes: [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        var at = 0
        var closed = false
        while at < bytes.count {
            Fuzzer.check(!closed, "the server wrote after its close frame")
            Fuzzer.check(bytes.count - at >= 2, "a cut frame header at byte \(at)")
            let opcode = bytes[at] & 0x0F
            let fin = bytes[at] & 0x80 != 0
            Fuzzer.check(bytes[at] & 0x70 == 0, "a server frame with RSV bits")
            Fuzzer.check([0, 1, 2, 8, 9, 10].contains(opcode), "a server frame with opcode \(opcode)")
            Fuzzer.check(bytes[at + 1] & 0x80 == 0, "a masked server frame")
            var length = Int(bytes[at + 1] & 0x7F)
            var header = 2
            if length >= 126 {
                header = length == 126 ? 4 : 10
                Fuzzer.check(bytes.count - at >= header, "a cut extended length at byte \(at)")
                length = bytes[(at + 2)..<(at + header)].reduce(0) { $0 << 8 | Int($1) }
            }
            Fuzzer.check(bytes.count - at - header >= length, "a cut frame at byte \(at)")
            let payload = bytes[(at + header)..<(at + header + length)]
            if opcode >= 8 {
                Fuzzer.check(fin && length <= 125, "a fragmented or long control frame")
            }
            if opcode == 8 {
                Fuzzer.check(length != 1, "a close frame with a one-byte payload")
                if length >= 2 {
                    let code = Int(payload[payload.startIndex]) << 8 | Int(payload[payload.startIndex + 1])
                    Fuzzer.check(sendable(code), "the server sent close code \(code)")
                }
                closed = true
            }
            frames.append(Frame(opcode: opcode, fin: fin, payload: Array(payload)))
            at += header + length
        }
        return frames
    }

    /// RFC 6455 §7.4: 1004-1006 and 1015 are never sent; below 1000 and from 5000 are not codes.
    private static func sendable(_ code: Int) -> Bool {
        (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
    }
}
