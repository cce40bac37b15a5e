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
}
