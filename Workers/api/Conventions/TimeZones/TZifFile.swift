#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled time zone file as zic writes it under /usr/share/zoneinfo (RFC 8536, versions 1 to 4 as
/// updated by RFC 9636). Read from bytes so that a damaged or hostile file is refused with an error: the
/// counts in its header are checked against its length before anything is allocated or indexed.
struct TZifFile: Sendable {
    struct LocalTimeType: Sendable, Equatable {
        /// Seconds east of UTC.
        let utcOffset: Int
        let isDaylight: Bool
        let abbreviation: String
    }

    enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case malformed(String)

        var description: String {
            switch self {
            case .unreadable(let path): "cannot read the time zone file \(path)"
            case .malformed(let reason): "not a TZif file: \(reason)"
            }
        }
    }

    /// 1 for a file with only the 32-bit part; 2, 3 or 4 otherwise (the 64-bit part and the footer are
    /// what is read then: 32-bit times stop in 1901 and 2038).
    let version: Int
    /// UTC seconds since 1970 of each transition, strictly increasing.
    let transitionTimes: [Int64]
    /// For each transition, the index in `localTimeTypes` of the time kept from then on.
    let transitionTypes: [Int]
    /// Never empty; type 0 is the time kept before the first transition.
    let localTimeTypes: [LocalTimeType]
    /// Non-zero in the `right/` zones, whose times count leap seconds and so are not POSIX times.
    let leapSecondCount: Int
    /// The footer's TZ string: the time kept after the last transition; nil when the footer is empty
    /// (or, in a version 1 file, absent).
    let rule: PosixZoneRule?

    /// zic's largest outputs are a few kilobytes; anything past this is not a zone file.
    static let largestFile = 1 << 20

    init(bytes: [UInt8]) throws {
        var reader = Reader(bytes: bytes)
        let first = try Header(&reader)
        guard first.version > 1 else {
            (transitionTimes, transitionTypes, localTimeTypes, leapSecondCount) = try Self.block(&reader, first, timeSize: 4)
            version = 1
            rule = nil
            return
        }
        // The 32-bit part is kept for old readers; it only matters that it is all there.
        _ = try reader.take(first.blockLength(timeSize: 4))
        let second = try Header(&reader)
        guard second.version == first.version else { throw Failure.malformed("the two headers give different versions") }
        (transitionTimes, transitionTypes, localTimeTypes, leapSecondCount) = try Self.block(&reader, second, timeSize: 8)
        version = second.version
        // The footer is a TZ string between two newlines; the second one is what tells a complete file
        // from one cut short inside it.
        guard try reader.byte() == UInt8(ascii: "\n") else { throw Failure.malformed("the footer does not start with a newline") }
        let rest = try reader.take(reader.remaining)
        guard let end = rest.firstIndex(of: UInt8(ascii: "\n")) else { throw Failure.malformed("the footer does not end with a newline") }
        let text = rest[rest.startIndex..<end]
        guard !text.isEmpty else {
            rule = nil
            return
        }
        guard let rule = PosixZoneRule(String(decoding: text, as: UTF8.self)) else {
            throw Failure.malformed("the footer is not a TZ string")
        }
        self.rule = rule
    }

    /// The file at `path`, which must be a regular file (a FIFO or a device in TZDIR would otherwise block
    /// or never end).
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Failure.unreadable(path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { throw Failure.unreadable(path) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure.unreadable(path) }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= Self.largestFile else { throw Failure.malformed("\(path) is larger than any zone file") }
        }
        try self.init(bytes: bytes)
    }

    /// The counts of a header (RFC 8536 section 3.1), in the order the data block uses them.
    private struct Header {
        let version: Int
        let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

        init(_ reader: inout Reader) throws {
            guard try Array(reader.take(4)) == Array("TZif".utf8) else { throw Failure.malformed("no TZif magic") }
            switch try reader.byte() {
            case 0: version = 1
            case UInt8(ascii: "2"): version = 2
            case UInt8(ascii: "3"): version = 3
            case UInt8(ascii: "4"): version = 4
            case let other: throw Failure.malformed("unknown version \(other)")
            }
            _ = try reader.take(15)
            isUTCCount = Int(try reader.uint32())
            isStandardCount = Int(try reader.uint32())
            leapCount = Int(try reader.uint32())
            timeCount = Int(try reader.uint32())
            typeCount = Int(try reader.uint32())
            characterCount = Int(try reader.uint32())
            guard typeCount > 0, characterCount > 0 else { throw Failure.malformed("no local time types or no designations") }
            guard [0, typeCount].contains(isUTCCount), [0, typeCount].contains(isStandardCount) else {
                throw Failure.malformed("indicator counts differ from the type count")
            }
        }

        /// Counts are at most 2^32 - 1, so this cannot overflow a 64-bit Int.
        func blockLength(timeSize: Int) -> Int {
            timeCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
        }
    }

    private static func block(_ reader: inout Reader, _ header: Header, timeSize: Int)
        throws -> ([Int64], [Int], [LocalTimeType], Int) {
        // Checked first so that a header claiming four billion transitions fails here rather than in an allocation.
        guard header.blockLength(timeSize: timeSize) <= reader.remaining else { throw Failure.malformed("truncated data block") }
        var times: [Int64] = []
        times.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount {
            let time = timeSize == 4 ? Int64(try reader.int32()) : try reader.int64()
            guard times.last.map({ $0 < time }) ?? true else { throw Failure.malformed("transition times out of order") }
            times.append(time)
        }
        var indexes: [Int] = []
        indexes.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount {
            let index = Int(try reader.byte())
            guard index < header.typeCount else { throw Failure.malformed("transition to type \(index) of \(header.typeCount)") }
            indexes.append(index)
        }
        var records: [(offset: Int, isDaylight: Bool, designation: Int)] = []
        for _ in 0..<header.typeCount {
            let offset = Int(try reader.int32())
            let isDaylight = try reader.byte()
            let designation = Int(try reader.byte())
            // RFC 9636's range: within a day and a bit of UTC, which keeps every later sum far from overflow.
            guard (-89_999...93_599).contains(offset) else { throw Failure.malformed("UT offset \(offset) out of range") }
            guard isDaylight <= 1 else { throw Failure.malformed("isdst is \(isDaylight)") }
            guard designation < header.characterCount else { throw Failure.malformed("designation index out of range") }
            records.append((offset, isDaylight == 1, designation))
        }
        let characters = Array(try reader.take(header.characterCount))
        var types: [LocalTimeType] = []
        for record in records {
            guard let end = characters[record.designation...].firstIndex(of: 0) else {
                throw Failure.malformed("designation without its NUL")
            }
            let abbreviation = String(decoding: characters[record.designation..<end], as: UTF8.self)
            types.append(LocalTimeType(utcOffset: record.offset, isDaylight: record.isDaylight, abbreviation: abbreviation))
        }
        // Leap second records and the standard/wall and UT/local indicators say nothing about offsets.
        _ = try reader.take(header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount)
        return (times, indexes, types, header.leapCount)
    }

    /// Big-endian reads that throw instead of reading past the end.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var remaining: Int { bytes.count - index }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= remaining else { throw Failure.malformed("truncated") }
            defer { index += count }
            return bytes[index..<index + count]
        }

        mutating func byte() throws -> UInt8 {
            guard index < bytes.count else { throw Failure.malformed("truncated") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func uint32() throws -> UInt32 { try take(4).reduce(0) { $0 << 8 | UInt32($1) } }

        mutating func int32() throws -> Int32 { Int32(bitPattern: try uint32()) }

        mutating func int64() throws -> Int64 { Int64(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
    }
}
