import OzziRuntime

/// A community's reputation levels, as trust levels work: level n is reached at its point threshold and may
/// unlock permissions (on top of the member's role, below any channel override that takes one away). Below
/// the first threshold a member is level 0, a new member, whose posts a channel may hold for review.
struct ReputationLevels: Sendable, Equatable {
    struct Level: Sendable, Equatable {
        let minPoints: Int
        let grants: Set<CommunityPermission>
    }

    /// Level n is `levels[n - 1]`; thresholds rise strictly.
    let levels: [Level]

    static let limit = 10

    init(_ levels: [Level]) {
        self.levels = levels
    }

    /// Reads what `stored` wrote; an unreadable value is no levels (everyone at 0).
    init(stored text: String) {
        let value = (try? JSONValue(jsonBytes: Array(text.utf8))) ?? .array([])
        levels = (value.arrayValue ?? []).compactMap { entry in
            guard let points = Self.points(entry) else { return nil }
            return Level(minPoints: points, grants: Set((entry["grants"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(CommunityPermission.init(rawValue:)) }))
        }
    }

    /// From a request's `levels` array: 422 naming the entry whose threshold does not rise.
    init(validating value: JSONValue) throws {
        var levels: [Level] = []
        for (index, entry) in (value.arrayValue ?? []).enumerated() {
            guard let points = Self.points(entry) else { throw APIError.invalidField("levels[\(index)].min_points", "is required") }
            if let below = levels.last, points <= below.minPoints {
                throw APIError.invalidField("levels[\(index)].min_points", "must be above the level below it (\(below.minPoints))")
            }
            levels.append(Level(minPoints: points, grants: Set((entry["grants"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(CommunityPermission.init(rawValue:)) })))
        }
        self.levels = levels
    }

    private static func points(_ entry: JSONValue) -> Int? {
        entry["min_points"]?.numberValue.map { Int($0) }
    }

    func level(for points: Int) -> Int {
        levels.lastIndex(where: { points >= $0.minPoints }).map { $0 + 1 } ?? 0
    }

    /// Everything levels 1 through `level` unlock.
    func grants(upTo level: Int) -> Set<CommunityPermission> {
        levels.prefix(max(0, level)).reduce(into: []) { $0.formUnion($1.grants) }
    }

    var stored: String {
        String(decoding: JSONValue.array(levels.map { level in
            ["min_points": .number(Double(level.minPoints)), "grants": .array(Self.names(level.grants))]
        }).jsonBytes, as: UTF8.self)
    }

    /// As answers show them: numbered from 1.
    var described: JSONValue {
        .array(levels.enumerated().map { index, level in
            ["level": .number(Double(index + 1)), "min_points": .number(Double(level.minPoints)), "grants": .array(Self.names(level.grants))]
        })
    }

    private static func names(_ grants: Set<CommunityPermission>) -> [JSONValue] {
        CommunityPermission.allCases.filter(grants.contains).map { .string($0.rawValue) }
    }

    static let schema = Schema.array(Schema.object([
        .required("level", Schema.integer(min: 1)),
        .required("min_points", Schema.integer(min: 1).described("Points needed to reach it")),
        .required("grants", Schema.array(Schema.oneOf(CommunityPermission.names)).described("Permissions it unlocks, on top of the member's role")),
    ], closed: true), max: limit)

    static let body = Schema.object([
        .required("levels", Schema.array(Schema.object([
            .required("min_points", Schema.integer(1...1_000_000_000).example(10)),
            .optional("grants", Schema.array(Schema.oneOf(CommunityPermission.names), max: CommunityPermission.allCases.count)),
        ], closed: true), max: limit).described("Level 1 first; each threshold above the one before")),
    ], closed: true)
}
