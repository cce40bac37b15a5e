/// A type rows decode into: the one way rows become values (as GRDB's `FetchableRecord`).
///
/// `all(_:)` and `first(_:)` read each row with `init(row:)`; a missing column, a value of the wrong type
/// or a NULL in a non-optional field throws an `SQLError` that names the column, never a default.
/// `Columns` names what the record reads, once, beside its fields: stores select `selection` instead of
/// writing the list again. A `Decodable` record whose fields are its columns declares
/// `enum CodingKeys: String, SQLColumn` and `typealias Columns = CodingKeys`, and needs nothing more; one
/// shaped otherwise (a field built from several columns, a JSON name unlike its column, a hot list) writes
/// `init(row:)`, which reads columns without Codable's containers.
public protocol SQLRecord {
    associatedtype Columns: SQLColumn

    /// Reads the record from one row of a result.
    init(row: SQLRecordRow<Columns>) throws
}

extension SQLRecord where Self: Decodable {
    /// Reads each field from the column of its coding key's name.
    public init(row: SQLRecordRow<Columns>) throws {
        try self.init(from: row.decoder)
    }
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
}
