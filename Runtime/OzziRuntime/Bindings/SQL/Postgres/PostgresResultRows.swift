import CLibPQ

/// A libpq result's rows as `SQLValue`s, chosen by column type as SQLite's storage classes would hold them.
enum PostgresResultRows {
    static func rows(_ result: OpaquePointer) -> [SQLRow] {
        let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
        guard rowCount > 0 else { return [] }
        let columns = (0..<Int32(columnCount)).map { String(cString: PQfname(result, $0)) }
        let types = (0..<Int32(columnCount)).map { PQftype(result, $0) }
        return (0..<Int32(rowCount)).map { row in
            SQLRow(columns: columns, values: (0..<Int32(columnCount)).map { column in
                guard PQgetisnull(result, row, column) == 0 else { return .null }
                let length = Int(PQgetlength(result, row, column))
                let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: length)
                return value(type: types[Int(column)], text: bytes)
            })
        }
    }

    static func value(type: Oid, text bytes: UnsafeRawBufferPointer) -> SQLValue {
        let text = String(decoding: bytes, as: UTF8.self)
        switch type {
        case 20, 21, 23, 26:  // int8, int2, int4, oid
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 700, 701, 1700:  // float4, float8, numeric
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 16:  // bool, as the 0 or 1 SQLite stores
            return .integer(text == "t" ? 1 : 0)
        case 17:  // bytea, printed as \x and hex
            return .blob(hexBytes(bytes.dropFirst(2)))
        default:
            return .text(text)
        }
    }

    private static func hexBytes(_ hex: Slice<UnsafeRawBufferPointer>) -> [UInt8] {
        func nibble(_ c: UInt8) -> UInt8 { c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : (c | 0x20) - UInt8(ascii: "a") + 10 }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var i = hex.startIndex
        while i + 1 < hex.endIndex {
            out.append(nibble(hex[i]) << 4 | nibble(hex[i + 1]))
            i += 2
        }
        return out
    }
}
