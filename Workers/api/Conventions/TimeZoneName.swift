import Foundation

/// An IANA time zone the api takes (`America/New_York`, `Europe/London`, `UTC`): the zones the installed
/// tzdata lists (so a zone added there, or renamed as Asia/Kolkata was, is taken at once), published as an
/// enum so the document states exactly which names are accepted and a client can offer them as a choice.
/// Each is also one Foundation reads, since some domains still compute with it.
enum TimeZoneName: APIModel {
    static let all: [String] = {
        let installed = ZoneRules.installedNames()
        // Without a tzdata.zi (a trimmed container), Foundation's canonical names.
        let names = installed.isEmpty ? TimeZone.knownTimeZoneIdentifiers : installed
        // Not the Etc/GMT+5 kind: POSIX signs, inverted from what anyone means by GMT+5 (and a generated
        // client could not tell Etc/GMT+5 from Etc/GMT-5 apart by name).
        return Set(names + ["UTC"]).filter { !$0.contains("GMT+") && !$0.contains("GMT-") && TimeZone(identifier: $0) != nil }.sorted()
    }()

    private static let known = Set(all)

    static func isKnown(_ name: String) -> Bool { known.contains(name) }

    static let schema = Schema.oneOf(all).described("An IANA time zone name").example("America/New_York")
}
