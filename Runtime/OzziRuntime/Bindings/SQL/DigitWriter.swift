/// Writes ASCII into a string's uninitialized storage (`String(unsafeUninitializedCapacity:)`): the dates
/// every stored row and every email carry are laid out digit by digit, with no `String` per field.
public struct DigitWriter {
    private let out: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far: what the initializer's closure returns.
    public private(set) var count = 0

    public init(_ out: UnsafeMutableBufferPointer<UInt8>) {
        self.out = out
    }

    /// `value` in decimal, zero-padded to `width`; a wider value keeps all its digits, a negative one its sign.
    public mutating func digits(_ value: Int64, width: Int) {
        if value < 0 { byte("-") }
        var rest = value.magnitude, length = 1
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        let end = count + max(width, length)
        rest = value.magnitude
        for index in stride(from: end - 1, through: count, by: -1) {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        count = end
    }

    public mutating func byte(_ ascii: Unicode.Scalar) {
        out[count] = UInt8(ascii: ascii)
        count += 1
    }

    public mutating func bytes<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            out[count] = byte
            count += 1
        }
    }
}
