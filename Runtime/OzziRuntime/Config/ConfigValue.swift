import TOMLKit

/// A parsed TOML value as a plain Sendable tree, so validation never touches TOMLKit's reference types.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([(key: String, value: ConfigValue)])

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.table(let a), .table(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Parses TOML text; syntax errors carry their line and column.
    public static func parse(toml: String) throws -> ConfigValue {
        ConfigValue(try TOMLTable(string: toml))
    }

    init(_ table: TOMLTable) {
        self = .table(table.keys.map { key in (key, ConfigValue(any: table[key]!)) })
    }

    init(any value: TOMLValueConvertible) {
        if let table = value.table {
            self.init(table)
        } else if let array = value.array {
            self = .array(array.map { ConfigValue(any: $0) })
        } else if let bool = value.bool {
            self = .bool(bool)
        } else if let int = value.int {
            self = .integer(int)
        } else if let double = value.double {
            self = .double(double)
        } else if let string = value.string {
            self = .string(string)
        } else {
            self = .string(value.debugDescription)
        }
    }

    var tableEntries: [(key: String, value: ConfigValue)]? {
        if case .table(let entries) = self { return entries }
        return nil
    }

    subscript(key: String) -> ConfigValue? {
        tableEntries?.first { $0.key == key }?.value
    }

    /// A scalar as text, as Wrangler accepts numbers and booleans in `vars`.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .array, .table: nil
        }
    }

    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }
}
