/// The DNS wire format (RFC 1035 §4.1) for one question and its answer. Pure: bytes in, values out.
struct DNSMessage: Sendable, Equatable {
    static let classIN: UInt16 = 1
    /// The UDP payload size the client advertises (EDNS0, RFC 6891): DNS Flag Day 2020's 1232 bytes, which
    /// no path fragments; larger answers come truncated and are asked again over TCP.
    static let udpPayloadSize: UInt16 = 1232

    let id: UInt16
    let isResponse: Bool
    let truncated: Bool
    let rcode: Int
    /// The questions as the server repeated them: (name, type, class).
    let questions: [(name: String, type: UInt16, class: UInt16)]
    /// The answer section's records of the types the client decodes; others are skipped.
    let answers: [DNSRecord]

    static func == (a: DNSMessage, b: DNSMessage) -> Bool {
        a.id == b.id && a.isResponse == b.isResponse && a.truncated == b.truncated && a.rcode == b.rcode && a.answers == b.answers
            && a.questions.map { "\($0.name) \($0.type) \($0.class)" } == b.questions.map { "\($0.name) \($0.type) \($0.class)" }
    }

    /// A recursive query (RD set) for `question`, with an EDNS0 OPT record.
    static func query(id: UInt16, _ question: DNSQuestion) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.append16(id)
        bytes.append16(0x0100)  // QR 0, opcode QUERY, RD 1
        bytes.append16(1)       // QDCOUNT
        bytes.append16(0)       // ANCOUNT
        bytes.append16(0)       // NSCOUNT
        bytes.append16(1)       // ARCOUNT: the OPT record
        bytes += question.wireName
        bytes.append16(question.type.rawValue)
        bytes.append16(classIN)
        // OPT: root name, type 41, class = payload size, TTL = extended rcode, version and flags (all 0), no options.
        bytes.append(0)
        bytes.append16(41)
        bytes.append16(udpPayloadSize)
        bytes += [0, 0, 0, 0, 0, 0]
        return bytes
    }

    /// Reads a whole message; throws `malformed` when a length, a pointer or a count does not fit.
    init(parsing bytes: [UInt8]) throws(DNSError) {
        var reader = Reader(bytes: bytes)
        id = try reader.u16()
        let flags = try reader.u16()
        isResponse = flags & 0x8000 != 0
        truncated = flags & 0x0200 != 0
        rcode = Int(flags & 0x000f)
        let questionCount = try reader.u16(), answerCount = try reader.u16()
        _ = try reader.u16()  // authority and additional sections are not read
        _ = try reader.u16()
        var questions: [(name: String, type: UInt16, class: UInt16)] = []
        for _ in 0..<questionCount {
            questions.append((try reader.name(), try reader.u16(), try reader.u16()))
        }
        self.questions = questions
        var answers: [DNSRecord] = []
        // A truncated answer may end mid-record: keep what was whole, the rest comes over TCP.
        for _ in 0..<answerCount {
            do {
                if let record = try reader.record() { answers.append(record) }
            } catch where truncated {
                break
            }
        }
        self.answers = answers
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        a.count == b.count && a.lowercased() == b.lowercased()
    }

    /// A cursor over a message; names may point back into any earlier part of it.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u8() throws(DNSError) -> UInt8 {
            guard offset < bytes.count else { throw .malformed("message ends at byte \(offset)") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() throws(DNSError) -> UInt16 {
            UInt16(try u8()) << 8 | UInt16(try u8())
        }

        mutating func u32() throws(DNSError) -> UInt32 {
            UInt32(try u16()) << 16 | UInt32(try u16())
        }

        mutating func take(_ count: Int) throws(DNSError) -> ArraySlice<UInt8> {
            guard count <= bytes.count - offset else { throw .malformed("a field runs past the end of the message") }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        /// A name, following compression pointers (RFC 1035 §4.1.4). Each pointer must point before the
        /// label that holds it, so a loop cannot be built; the name may not exceed 255 bytes.
        mutating func name() throws(DNSError) -> String {
            var labels: [String] = []
            var position = offset, wireLength = 1
            var resumeAt: Int?
            while true {
                guard position < bytes.count else { throw .malformed("a name runs past the end of the message") }
                let length = Int(bytes[position])
                switch length & 0xc0 {
                case 0xc0:
                    guard position + 1 < bytes.count else { throw .malformed("a name pointer runs past the end of the message") }
                    let target = (length & 0x3f) << 8 | Int(bytes[position + 1])
                    guard target < position else { throw .malformed("a name pointer does not point backwards") }
                    if resumeAt == nil { resumeAt = position + 2 }
                    position = target
                case 0x00:
                    if length == 0 {
                        offset = resumeAt ?? position + 1
                        return labels.joined(separator: ".")
                    }
                    wireLength += 1 + length
                    guard wireLength <= 255 else { throw .malformed("a name is longer than 255 bytes") }
                    guard position + 1 + length <= bytes.count else { throw .malformed("a label runs past the end of the message") }
                    labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self))
                    position += 1 + length
                default:
                    throw .malformed("unknown label type \(length >> 6)")
                }
            }
        }

        /// One resource record; nil for a class or type the client does not decode.
        mutating func record() throws(DNSError) -> DNSRecord? {
            let owner = try name()
            let type = try u16(), recordClass = try u16(), ttl = try u32(), length = Int(try u16())
            let start = offset
            guard length <= bytes.count - start else { throw .malformed("record data runs past the end of the message") }
            defer { offset = start + length }
            guard recordClass == DNSMessage.classIN, let known = DNSRecordType(rawValue: type) else { return nil }
            let data: DNSRecordData
            switch known {
            case .a, .aaaa:
                guard length == (known == .a ? 4 : 16), let address = IPAddress(bytes: Array(try take(length))) else {
                    throw .malformed("\(known) record of \(length) bytes")
                }
                data = known == .a ? .a(address) : .aaaa(address)
            case .cname:
                data = .cname(try name())
            case .mx:
                data = .mx(preference: try u16(), exchange: try name())
            case .txt:
                var strings: [String] = []
                while offset < start + length {
                    let count = Int(try u8())
                    guard offset + count <= start + length else { throw .malformed("a TXT string runs past its record") }
                    strings.append(String(decoding: try take(count), as: UTF8.self))
                }
                data = .txt(strings)
            }
            guard offset == start + length else { throw .malformed("\(known) record data of the wrong length") }
            return DNSRecord(name: owner, ttl: ttl, data: data)
        }
    }
}

extension [UInt8] {
    fileprivate mutating func append16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xff))
    }
}
