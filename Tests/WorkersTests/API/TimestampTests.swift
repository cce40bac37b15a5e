import Foundation
import OzziRuntime
import Testing
@testable import APIWorker

/// Instants the engine keeps in milliseconds come out as the same millisecond, never one short.
@Suite struct TimestampTests {
    @Test func everyMillisecondFormatsAsItself() {
        let base: Int64 = 1_800_000_000_000
        for offset in Int64(0)..<2_000 {
            let text = Timestamp.at(milliseconds: base + offset)
            let parsed = SQLDate.parse(text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
            #expect(parsed == base + offset, "\(base + offset) -> \(text)")
            #expect(text.hasSuffix(String(format: ".%03dZ", Int(offset % 1000))), "\(text)")
        }
    }

    /// The same text Foundation's ISO 8601 style writes, over instants from 1970 to 2200.
    @Test func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let milliseconds = Int64.random(in: 0...7_258_118_400_000, using: &generator)
            let date = Date(timeIntervalSince1970: (Double(milliseconds) + 0.5) / 1000)
            #expect(Timestamp.at(milliseconds: milliseconds) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "\(milliseconds)")
        }
    }
}
