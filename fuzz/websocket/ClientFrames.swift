/// A look at the client's frames, for the one case where wslay itself depends on how input is cut.
enum ClientFrames {
    /// Whether a close frame carries a reason with non-ASCII bytes. wslay 1.1.1 checks a close reason's
    /// UTF-8 from the third byte of every chunk it reads, not of the frame, so such a reason is accepted or
    /// refused (1007) depending on where reads cut it; see fuzz/README.md.
    static func haveNonASCIICloseReason(_ bytes: [UInt8]) -> Bool {
        var at = 0
        while bytes.count - at >= 2 {
            let opcode = bytes[at] & 0x0F
            let masked = bytes[at + 1] & 0x80 != 0
            var length = UInt64(bytes[at + 1] & 0x7F)
            var header = 2
            if length >= 126 {
                header = length == 126 ? 4 : 10
                guard bytes.count - at >= header else { return false }
                length = bytes[(at + 2)..<(at + header)].reduce(0) { $0 << 8 | UInt64($1) }
            }
            let mask = masked ? 4 : 0
            let available = bytes.count - at - header - mask
            guard available >= 0 else { return false }
            let start = at + header + mask
            // A frame cut short by the end of the input counts too: wslay checks what arrived.
            if opcode == 8, available > 2 {
                for i in 2..<max(2, Int(min(length, UInt64(available)))) {
                    let key = masked ? bytes[at + header + i % 4] : 0
                    if bytes[start + i] ^ key >= 0x80 { return true }
                }
            }
            guard UInt64(available) >= length else { return false }
            at = start + Int(length)
        }
        return false
    }
}
