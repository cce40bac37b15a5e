public import Foundation
public import OpenAPIRuntime

/// The API's timestamps: ISO-8601 in UTC with milliseconds (`2026-11-21T14:00:00.250Z`), as the host
/// writes every one. The runtime's own `.iso8601` refuses the fraction and its `.iso8601WithFractionalSeconds`
/// refuses a time without one; this reads both and writes what the host writes.
public struct TimestampTranscoder: DateTranscoder {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    public init() {}

    public func encode(_ date: Date) throws -> String {
        date.formatted(Self.withFraction)
    }

    public func decode(_ text: String) throws -> Date {
        if let date = try? Self.withFraction.parse(text) ?? Self.whole.parse(text) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' is not an ISO-8601 timestamp"))
    }
}
