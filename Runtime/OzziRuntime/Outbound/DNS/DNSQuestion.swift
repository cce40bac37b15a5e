/// A name and a type, class IN: what a query asks and what its answer must repeat.
public struct DNSQuestion: Sendable, Equatable, CustomStringConvertible {
    /// The name as given, without a trailing dot.
    public let name: String
    public let type: DNSRecordType

    /// Checks the name: labels of 1 to 63 printable ASCII bytes (no space, no dot), at most 255 bytes on
    /// the wire. Internationalized names must come punycoded (`xn--...`).
    public init(_ name: String, _ type: DNSRecordType) throws(DNSError) {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        let wireLength = labels.reduce(1) { $0 + 1 + $1.utf8.count }
        guard !trimmed.isEmpty, wireLength <= 255,
              labels.allSatisfy({ (1...63).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x21...0x7e).contains($0) } }) else {
            throw .invalidName(name)
        }
        self.name = trimmed
        self.type = type
    }

    public var description: String { "\(name) \(type)" }

    /// Whether an answer's question is this one (names compare without regard to ASCII case).
    func matches(name other: String, type otherType: UInt16, class otherClass: UInt16) -> Bool {
        otherType == type.rawValue && otherClass == DNSMessage.classIN && DNSMessage.sameName(other, name)
    }

    /// Its wire form: labels, each behind its length, then the root's zero.
    var wireName: [UInt8] {
        name.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }
}
