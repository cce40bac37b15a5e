import OzziRuntime

/// Whether what DNS answered at a record's name is the record asked for. Pure: the answer in, a status
/// and the values found out.
enum DomainRecordCheck {
    static func check(_ record: DomainRecord, _ answer: DNSAnswer) -> (status: DomainRecord.Status, found: [String]) {
        // Resend may ask for DKIM as aliases of its own keys' names.
        if record.type == "CNAME" { return cname(expected: record.value, answer.records) }
        return switch record.kind {
        case .spf: spf(expected: record.value, answer.texts)
        case .dkim: dkim(expected: record.value, answer.texts)
        case .dmarc: dmarc(answer.texts)
        case .mx: mx(expected: record.value, answer.records)
        }
    }

    /// The DNS type to ask for a record of this kind.
    static func type(of record: DomainRecord) -> DNSRecordType {
        record.type == "CNAME" ? .cname : record.kind == .mx ? .mx : .txt
    }

    /// Exactly one `v=spf1` record (two make SPF fail with a permerror, RFC 7208 §4.5) whose terms include
    /// the expected `include:` (with or without the `+` qualifier).
    static func spf(expected: String, _ texts: [String]) -> (DomainRecord.Status, [String]) {
        let policies = texts.filter { text in
            let lowered = text.lowercased()
            return lowered == "v=spf1" || lowered.hasPrefix("v=spf1 ")
        }
        guard !policies.isEmpty else { return (.missing, []) }
        guard policies.count == 1, let include = terms(expected).first(where: { $0.hasPrefix("include:") }) else { return (.wrong, policies) }
        let included = terms(policies[0]).contains { $0 == include || $0 == "+" + include }
        return (included ? .verified : .wrong, policies)
    }

    /// A TXT whose `p=` tag (whitespace removed, as RFC 6376 §3.6.1 allows it folded) is our public key.
    static func dkim(expected: String, _ texts: [String]) -> (DomainRecord.Status, [String]) {
        guard !texts.isEmpty else { return (.missing, []) }
        guard let key = tags(expected)["p"].map(withoutWhitespace), !key.isEmpty else { return (.wrong, texts) }
        let match = texts.first { tags($0)["p"].map(withoutWhitespace) == key }
        return match.map { (.verified, [$0]) } ?? (.wrong, texts)
    }

    /// Exactly one record starting `v=DMARC1` whose next tag is a policy (RFC 7489 §6.4).
    static func dmarc(_ texts: [String]) -> (DomainRecord.Status, [String]) {
        let policies = texts.filter { $0.hasPrefix("v=DMARC1") }
        guard !policies.isEmpty else { return (.missing, []) }
        let fields = policies[0].split(separator: ";").map { $0.trimmingPrefixAndSuffixSpaces() }
        guard policies.count == 1, fields.count >= 2, fields[0] == "v=DMARC1",
              ["p=none", "p=quarantine", "p=reject"].contains(fields[1].lowercased().filter { $0 != " " }) else {
            return (.wrong, policies)
        }
        return (.verified, policies)
    }

    /// The expected host among the MX records (names compare without case or trailing dot).
    static func mx(expected: String, _ records: [DNSRecord]) -> (DomainRecord.Status, [String]) {
        let hosts = records.compactMap { record -> (UInt16, String)? in
            if case .mx(let preference, let exchange) = record.data { (preference, exchange) } else { nil }
        }
        guard !hosts.isEmpty else { return (.missing, []) }
        let found = hosts.map { "\($0.0) \($0.1)" }
        let wanted = bare(expected)
        return (hosts.contains { bare($0.1) == wanted } ? .verified : .wrong, found)
    }

    /// The name is an alias of the expected target (names compare without case or trailing dot).
    static func cname(expected: String, _ records: [DNSRecord]) -> (DomainRecord.Status, [String]) {
        let targets = records.compactMap { record -> String? in
            if case .cname(let target) = record.data { target } else { nil }
        }
        guard !targets.isEmpty else { return (.missing, []) }
        return (targets.contains { bare($0) == bare(expected) } ? .verified : .wrong, targets)
    }

    private static func terms(_ spf: String) -> [String] {
        spf.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// A tag list (`k=v; k=v`), keys lowercased; a repeated tag keeps its first value.
    static func tags(_ text: String) -> [String: String] {
        var tags: [String: String] = [:]
        for field in text.split(separator: ";") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let key = field[..<equals].trimmingPrefixAndSuffixSpaces().lowercased()
            if tags[key] == nil { tags[key] = String(field[field.index(after: equals)...].trimmingPrefixAndSuffixSpaces()) }
        }
        return tags
    }

    private static func withoutWhitespace(_ text: String) -> String {
        text.filter { !$0.isWhitespace }
    }

    private static func bare(_ host: String) -> String {
        (host.hasSuffix(".") ? String(host.dropLast()) : host).lowercased()
    }
}
