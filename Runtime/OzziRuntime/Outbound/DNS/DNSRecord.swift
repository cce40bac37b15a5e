/// One resource record of an answer.
public struct DNSRecord: Sendable, Equatable {
    /// The owner name, without the trailing dot.
    public let name: String
    public let ttl: UInt32
    public let data: DNSRecordData

    public init(name: String, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }
}

/// A record's data, decoded for the types the client asks for.
public enum DNSRecordData: Sendable, Equatable {
    case a(IPAddress)
    case aaaa(IPAddress)
    case cname(String)
    case mx(preference: UInt16, exchange: String)
    /// The character-strings as sent: one TXT value longer than 255 bytes arrives as several.
    case txt([String])

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .mx: .mx
        case .txt: .txt
        }
    }

    /// A TXT record's value: its character-strings joined with nothing between (RFC 7208 §3.3, RFC 6376
    /// §3.6.2.2), as SPF and DKIM read it.
    public var text: String? {
        if case .txt(let strings) = self { strings.joined() } else { nil }
    }
}
