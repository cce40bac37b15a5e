/// Splits one fuzz input into its control bytes and its payload.
///
/// Layout: byte 0 holds the target's option flags, byte 1 picks how the payload is cut into the pieces a
/// socket would deliver, and the rest is the payload. Inputs shorter than two bytes use zeros, so a plain
/// HTTP request or frame still means something when it is the whole input.
public struct FuzzInput {
    public let flags: UInt8
    public let split: UInt8
    public let payload: [UInt8]

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
        flags = bytes.count > 0 ? bytes[0] : 0
        split = bytes.count > 1 ? bytes[1] : 0
        payload = bytes.count > 2 ? Array(bytes[2...]) : []
    }

    public func flag(_ bit: Int) -> Bool { flags & (1 << bit) != 0 }

    /// Piece lengths covering the payload: the split byte's top three bits give the longest piece
    /// (1 << n bytes: 1 is byte by byte, 128 is rarely cut), its low five bits seed the lengths below it.
    public var pieces: [Range<Int>] {
        let longest = 1 << Int(split >> 5)
        var state = UInt32(split & 0x1F) &* 2_654_435_761 | 1
        var ranges: [Range<Int>] = []
        var start = 0
        while start < payload.count {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            let length = 1 + Int(state % UInt32(longest))
            let end = min(payload.count, start + length)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }
}
