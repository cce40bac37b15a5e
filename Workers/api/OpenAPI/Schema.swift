import OzziRuntime
import Synchronization

/// A JSON Schema (OpenAPI 3.1's dialect) that the api both publishes and enforces: a route's body and
/// parameters are checked against the same value the document prints, so the two cannot disagree.
///
/// Built from small constructors (`.string(max: 200)`, `.object([...])`, `.model(Contact.self)`) with
/// modifiers (`.nullable`, `.described(...)`, `.example(...)`).
struct Schema: Sendable {
    indirect enum Kind: Sendable {
        case string(StringRules)
        case integer(minimum: Int, maximum: Int)
        case number(minimum: Double?, maximum: Double?)
        case boolean
        case array(items: Schema, minItems: Int, maxItems: Int?)
        case object(ObjectShape)
        /// An object with any keys (of `keys`' rules, `propertyNames`), each value matching `values` (`additionalProperties`).
        case dictionary(values: Schema, maxProperties: Int?, keys: StringRules?)
        /// Exactly one of these matches (`oneOf` of whole values, e.g. a string or an object).
        case oneOf([Schema])
        /// Any JSON value.
        case any
        /// A string of at most `maxLength`, a number, a boolean or null: one `type` list, which generators
        /// read where they miscompile a `oneOf` of the same.
        case scalar(maxLength: Int)
        /// A named schema, published once under `components/schemas` and referred to by `$ref`.
        case model(name: String, schema: @Sendable () -> Schema)
    }

    var kind: Kind
    var allowsNull = false
    var description: String?
    var example: JSONValue?

    init(_ kind: Kind) {
        self.kind = kind
    }
}

/// What a string must be. Lengths count Unicode scalars, as JSON Schema does (not grapheme clusters).
struct StringRules: Sendable {
    var minLength = 0
    var maxLength: Int?
    var pattern: Pattern?
    /// An OpenAPI format (`date-time`, `email`, `uri`, ...) or one of ours (`phone`), as documentation.
    var format: String?
    var allowed: [String]?
}

/// A regular expression in the subset ECMA-262 and Swift's `Regex` agree on (anchors, classes, counts), matched
/// over Unicode scalars as JSON Schema does: by Characters, `"@\u{301}"` would not contain an `@`.
struct Pattern: Sendable {
    let source: String
    private let compiled: Compiled
    /// Says in words why a string does not match (`is not an email address`), where quoting a regular
    /// expression would not help a person.
    var explain: (@Sendable (String) -> String?)?

    init(_ source: String, explain: (@Sendable (String) -> String?)? = nil) {
        self.source = source
        self.explain = explain
        compiled = Compiled(source)
    }

    init(_ source: String, mismatch: String) {
        self.init(source, explain: { _ in mismatch })
    }

    func matches(_ text: String) -> Bool {
        (try? compiled.regex.firstMatch(in: text)) != nil
    }

    /// The expression, compiled on its first match rather than when routes are registered: a host starts
    /// without building the automata of every route's patterns (the webhook URL's alone is 2,000 characters).
    private final class Compiled: @unchecked Sendable {
        // Regex is not Sendable, but a compiled one is only read; the lock guards its first compiling.
        private let source: String
        private let cache = Mutex<Regex<AnyRegexOutput>?>(nil)

        init(_ source: String) {
            self.source = source
        }

        var regex: Regex<AnyRegexOutput> {
            cache.withLock { cached in
                if let cached { return cached }
                // Code points, as ECMA-262 and Python (the fuzzer) match, not grapheme clusters.
                let regex: Regex<AnyRegexOutput>
                do { regex = try Regex(source).matchingSemantics(.unicodeScalar) } catch { preconditionFailure("invalid schema pattern \(source): \(error)") }
                cached = regex
                return regex
            }
        }
    }
}

/// An object's properties, which of them are required, and groups of which exactly one must be given.
struct ObjectShape: Sendable {
    var properties: [Property]
    /// Each group lists alternatives of which exactly one is present (`contact_id | contact_ids | group_id`).
    var exactlyOne: [[String]] = []
    /// Groups of which at least one is present (a PATCH that must change something).
    var atLeastOne: [[String]] = []
    /// Groups of which at most one is present (a recurring send's times come from its rule, not `scheduled_at`).
    var atMostOne: [[String]] = []
    /// Times that need a zone: a `time` given without a UTC offset is read in `zone`, which must then be
    /// given (`scheduled_at` and `time_zone`).
    var zonedTimes: [ZonedTime] = []
    /// Unknown properties are refused when false (answers document every field they carry).
    var closed = false

    var required: [String] { properties.filter(\.required).map(\.name) }
}

/// A local time's field and the field naming its time zone (see `ObjectShape.zonedTimes`).
struct ZonedTime: Sendable {
    let time: String
    let zone: String

    /// A time that carries its UTC offset (`Z`, `+02`, `-05:30`), as `ScheduleTime.Parts` reads one.
    static let offset = Pattern(#"(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$"#)
}

struct Property: Sendable {
    let name: String
    let schema: Schema
    let required: Bool

    static func required(_ name: String, _ schema: Schema) -> Property { Property(name: name, schema: schema, required: true) }
    static func optional(_ name: String, _ schema: Schema) -> Property { Property(name: name, schema: schema, required: false) }
}

/// A type the document names: its schema is published once under `components/schemas/<schemaName>`.
protocol APIModel: SendableMetatype {
    static var schema: Schema { get }
    static var schemaName: String { get }
}

extension APIModel {
    static var schemaName: String { String(describing: Self.self) }
}

extension Schema {
    static func string(min: Int = 0, max: Int? = nil, pattern: String? = nil, format: String? = nil) -> Schema {
        Schema(.string(StringRules(minLength: min, maxLength: max, pattern: pattern.map { Pattern($0) }, format: format)))
    }

    static func string(min: Int = 0, max: Int? = nil, pattern: Pattern, format: String? = nil) -> Schema {
        Schema(.string(StringRules(minLength: min, maxLength: max, pattern: pattern, format: format)))
    }

    /// A non-empty string of at most `max` characters: what a required name or text field takes.
    static func text(max: Int) -> Schema { .string(min: 1, max: max) }

    /// One of a fixed set of strings (`enum`).
    static func oneOf(_ allowed: [String]) -> Schema {
        Schema(.string(StringRules(allowed: allowed)))
    }

    /// The integers a JSON number holds exactly (±2^53 - 1): every integer field is bounded, at least by these.
    static let safeIntegers = -9_007_199_254_740_991...9_007_199_254_740_991

    static func integer(_ range: ClosedRange<Int> = safeIntegers) -> Schema {
        Schema(.integer(minimum: range.lowerBound, maximum: range.upperBound))
    }

    static func integer(min: Int) -> Schema {
        .integer(min...safeIntegers.upperBound)
    }

    /// An instant as the api writes them: RFC 3339 in UTC with milliseconds.
    static let timestamp = Schema.string(format: "date-time").example("2026-12-01T09:30:00.000Z")

    static func number(_ range: ClosedRange<Double>? = nil) -> Schema {
        Schema(.number(minimum: range?.lowerBound, maximum: range?.upperBound))
    }

    static let boolean = Schema(.boolean)
    static let any = Schema(.any)

    static func array(_ items: Schema, min: Int = 0, max: Int? = nil) -> Schema {
        Schema(.array(items: items, minItems: min, maxItems: max))
    }

    static func object(_ properties: [Property], exactlyOne: [[String]] = [], atLeastOne: [[String]] = [], atMostOne: [[String]] = [],
                       zonedTimes: [ZonedTime] = [], closed: Bool = false) -> Schema {
        Schema(.object(ObjectShape(properties: properties, exactlyOne: exactlyOne, atLeastOne: atLeastOne, atMostOne: atMostOne,
                                   zonedTimes: zonedTimes, closed: closed)))
    }

    static func dictionary(_ values: Schema, max: Int? = nil, keys: StringRules? = nil) -> Schema {
        Schema(.dictionary(values: values, maxProperties: max, keys: keys))
    }

    static func oneOf(_ schemas: [Schema]) -> Schema {
        Schema(.oneOf(schemas))
    }

    /// A reference to a named type's schema.
    static func model<T: APIModel>(_ type: T.Type) -> Schema {
        Schema(.model(name: T.schemaName, schema: { T.schema }))
    }

    /// `null` is allowed too.
    var nullable: Schema {
        var copy = self
        copy.allowsNull = true
        return copy
    }

    /// Names what the string's pattern accepts, for the 422 a mismatch gets.
    func patternMeaning(_ text: String) -> Schema {
        guard case .string(var rules) = kind, rules.pattern != nil else { preconditionFailure("patternMeaning needs a string with a pattern") }
        rules.pattern?.explain = { _ in "must be \(text)" }
        var copy = self
        copy.kind = .string(rules)
        return copy
    }

    func described(_ text: String) -> Schema {
        var copy = self
        copy.description = text
        return copy
    }

    func example(_ value: JSONValue) -> Schema {
        var copy = self
        copy.example = value
        return copy
    }

    /// The schema a `.model` stands for; any other schema itself.
    var resolved: Schema {
        if case .model(_, let schema) = kind { return schema().resolved }
        return self
    }

    /// The object shape, through a model reference.
    var shape: ObjectShape? {
        if case .object(let shape) = resolved.kind { return shape }
        return nil
    }
}
