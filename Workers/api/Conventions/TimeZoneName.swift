import Foundation

/// An IANA time zone the api takes (`America/New_York`, `Europe/London`, `UTC`): the zones Foundation
/// knows, published as an enum so the document states exactly which names are accepted and a client can
/// offer them as a choice. Foundation's list comes with the toolchain, so the document does not change with
/// the machine's tzdata package; the rules of a zone are still read from the installed tzdata (`ZoneRules`).
enum TimeZoneName: APIModel {
    /// Foundation's canonical zone names, and `UTC`, which it reads but does not list.
    static let all: [String] = Set(TimeZone.knownTimeZoneIdentifiers + ["UTC"]).filter { TimeZone(identifier: $0) != nil }.sorted()

    private static let known = Set(all)

    static func isKnown(_ name: String) -> Bool { known.contains(name) }

    static let schema = Schema.oneOf(all).described("An IANA time zone name").example("America/New_York")
}
