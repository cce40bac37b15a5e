import CLibPQ

/// Statement values as libpq parameters: numbers and text as text, blobs as binary `bytea`.
///
/// Integers and doubles are typed (`int8`, `float8`) so `? + 1` and `LIMIT ?` resolve; text goes untyped
/// so the server reads it as whatever the column is (`timestamptz`, `jsonb`, `text`).
struct PostgresParameters {
    private static let int8: Oid = 20, float8: Oid = 701, bytea: Oid = 17

    private var types: [Oid] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []
    /// Where each non-null value starts in `storage`.
    private var offsets: [Int?] = []
    private var storage: [UInt8] = []

    init(_ values: [SQLValue]) {
        for value in values {
            switch value {
            case .null: append(type: 0, bytes: nil)
            case .integer(let v): append(type: Self.int8, bytes: Array(String(v).utf8) + [0])
            case .real(let v): append(type: Self.float8, bytes: Array(Self.text(v).utf8) + [0])
            case .text(let v): append(type: 0, bytes: Array(v.utf8) + [0])
            case .blob(let v): append(type: Self.bytea, bytes: v, binary: true)
            }
        }
        // A base address even when every value is NULL or empty.
        storage.append(0)
    }

    private mutating func append(type: Oid, bytes: [UInt8]?, binary: Bool = false) {
        types.append(type)
        formats.append(binary ? 1 : 0)
        lengths.append(Int32(bytes?.count ?? 0))
        offsets.append(bytes.map { _ in storage.count })
        storage.append(contentsOf: bytes ?? [])
    }

    /// PostgreSQL's spelling of the values Swift prints otherwise.
    private static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }

    /// Calls `body` with the arrays `PQexecParams` takes, valid only during the call.
    func withPointers<T>(_ body: (UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T) -> T {
        storage.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return types.withUnsafeBufferPointer { types in
                pointers.withUnsafeBufferPointer { pointers in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(types.baseAddress, pointers.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
