/// The record types the client asks for (RFC 1035, RFC 3596), by their wire value.
public enum DNSRecordType: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case a = 1
    case cname = 5
    case mx = 15
    case txt = 16
    case aaaa = 28

    public var description: String {
        switch self {
        case .a: "A"
        case .cname: "CNAME"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        }
    }
}
