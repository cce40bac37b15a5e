/// A type rows decode into: the one way rows become values (as GRDB's `FetchableRecord`).
///
/// `all(_:)` and `first(_:)` decode each row through the record's `Decodable` conformance; a missing
/// column, a value of the wrong type or a NULL in a non-optional field throws an `SQLError` that names the
/// column, never a default. `Columns` names what the record reads, once, beside its fields: stores select
/// `selection` instead of writing the list again. A record whose fields are its columns declares
/// `enum CodingKeys: String, SQLColumn` and `typealias Columns = CodingKeys`; one shaped otherwise (a field
/// built from several columns, a JSON name unlike its column) declares `Columns` and reads it in `init(from:)`.
public protocol SQLRecord: Decodable {
    associatedtype Columns: SQLColumn
}

extension SQLRecord {
    /// `id, name, …`: the select list of `Columns`.
    public static var selection: String {
        Columns.allCases.map(\.stringValue).joined(separator: ", ")
    }

    /// `c.id, c.name, …`: the select list of `Columns`, qualified by a table or its alias.
    public static func selection(from table: String) -> String {
        Columns.allCases.map { "\(table).\($0.stringValue)" }.joined(separator: ", ")
    }

    /// Decodes one row (reading many, `all(_:)` resolves the columns once for all of them).
    public init(row: SQLRow) throws {
        self = try SQLRecordDecoder(columns: row.columns, sql: "").decode(Self.self, row)
    }
}
