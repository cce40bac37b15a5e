import OzziRuntime

extension FormContact {
    /// The contacts a batch of submissions names by email or phone, read by one statement per column for
    /// the lot (a read per submission cost a flood of sign-ups 8 µs a submission, plus its trip through the
    /// binding), and the batch's own new contacts as it makes them.
    struct Known {
        private var ids: [String: String] = [:]

        /// The workspaces' contacts having the mapped addresses of `batch`.
        init(_ tx: SQLTransaction, _ batch: [(scope: TenantScope, mapped: Mapped)]) throws {
            for column in ["email", "phone"] {
                let pairs = Set(batch.compactMap { item in item.mapped.columns[column].map { [item.scope.workspaceID, $0] } })
                guard !pairs.isEmpty else { continue }
                // The pairs drive (CROSS JOIN), each looked up in the column's index within its workspace.
                for row in try tx.all("""
                    SELECT r.workspace_id, r.address, c.id FROM (SELECT value ->> 0 AS workspace_id, value ->> 1 AS address FROM \(tx.dialect.records())) AS r
                    CROSS JOIN contacts c WHERE c.workspace_id = r.workspace_id AND c.\(column) = r.address
                    """, SQLList.json(pairs.map { .array($0.map(JSONValue.string)) })) {
                    guard let workspace = row.text("workspace_id"), let address = row.text("address"), let id = row.text("id") else { continue }
                    ids[Self.key(workspace, column, address)] = id
                }
            }
        }

        /// The contact of `scope` with this `email` or `phone` (`email` first).
        func id(_ scope: TenantScope, email: String?, phone: String?) -> String? {
            email.flatMap { ids[Self.key(scope.workspaceID, "email", $0)] } ?? phone.flatMap { ids[Self.key(scope.workspaceID, "phone", $0)] }
        }

        /// A contact the batch made (neither address was known): later submissions with its addresses find it.
        mutating func add(_ scope: TenantScope, id: String, email: String?, phone: String?) {
            if let email { ids[Self.key(scope.workspaceID, "email", email)] = id }
            if let phone { ids[Self.key(scope.workspaceID, "phone", phone)] = id }
        }

        private static func key(_ workspaceID: String, _ column: String, _ value: String) -> String {
            workspaceID + "\u{0}" + column + "\u{0}" + value
        }
    }
}
