import Foundation
import OzziRuntime

/// An IANA time zone this server knows, as the document lists them and every route that takes one checks.
enum TimeZoneName: APIModel {
    static let names: [String] = Array(Set(TimeZone.knownTimeZoneIdentifiers + ["UTC"]).filter { TimeZone(identifier: $0) != nil }).sorted()

    static let schema = Schema.oneOf(names).example("America/New_York").described("An IANA time zone, such as America/New_York")
}
