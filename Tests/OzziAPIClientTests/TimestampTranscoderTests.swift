import Foundation
import OzziAPIClient
import OzziRuntime
import Testing

/// The client reads timestamps as the host writes them (with milliseconds) and as a person might (without).
@Suite struct TimestampTranscoderTests {
    let transcoder = TimestampTranscoder()

    @Test func readsWhatTheHostWrites() throws {
        let written = Date(timeIntervalSince1970: 1_795_000_000.25)
        #expect(try transcoder.decode(SQLDate.format(written)) == written)
        #expect(try transcoder.encode(written) == SQLDate.format(written))
    }

    @Test func readsATimeWithoutAFraction() throws {
        #expect(try transcoder.decode("2026-11-21T14:00:00Z") == Date(timeIntervalSince1970: 1_795_269_600))
    }

    @Test func refusesWhatIsNotATimestamp() {
        #expect(throws: DecodingError.self) { try transcoder.decode("2026-11-21 14:00") }
    }
}
