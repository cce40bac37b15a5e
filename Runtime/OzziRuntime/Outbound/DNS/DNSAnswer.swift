/// What the name server answered for a name and type. A failure to get an answer is a `DNSError`, never
/// one of these: "no such record" and "could not ask" must not look alike.
public enum DNSAnswer: Sendable, Equatable {
    /// Records of the type asked for, at the name or at the end of its CNAME chain.
    case found([DNSRecord])
    /// The name exists but has no record of that type (NOERROR with an empty answer).
    case noRecords
    /// The name does not exist (NXDOMAIN).
    case noSuchName

    /// The records found; empty for `noRecords` and `noSuchName`.
    public var records: [DNSRecord] {
        if case .found(let records) = self { records } else { [] }
    }

    /// Each TXT record's joined value.
    public var texts: [String] { records.compactMap(\.data.text) }
}
