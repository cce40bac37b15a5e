import OzziRuntime

extension FormContact {
    /// The new contacts of a batch of submissions, inserted together when the batch is written: one
    /// `INSERT` for many rows, because FTS5 writes an index segment at the end of every statement that
    /// changes it (and merges them after), which made a contact inserted alone cost 2-3 times its share
    /// of a many-row insert (`bench/forms.sh`, session 22).
    struct Pending {
        private var rows: [String: [(id: String, input: ContactInput)]] = [:]
        private var addresses: Set<String> = []

        /// Whether a contact waiting here has this email address or phone: a later submission must then
        /// find it in the table (`write` first), so one address never makes two contacts.
        func has(_ scope: TenantScope, email: String?, phone: String?) -> Bool {
            (email.map { addresses.contains(Self.key(scope, "email", $0)) } ?? false)
                || (phone.map { addresses.contains(Self.key(scope, "phone", $0)) } ?? false)
        }

        mutating func add(_ scope: TenantScope, id: String, _ input: ContactInput) {
            rows[scope.workspaceID, default: []].append((id, input))
            if let email = input.email ?? nil { addresses.insert(Self.key(scope, "email", email)) }
            if let phone = input.phone { addresses.insert(Self.key(scope, "phone", phone)) }
        }

        /// Inserts what waits, one statement per workspace, and empties the list.
        mutating func write(_ tx: SQLTransaction, now: String) throws {
            for (workspaceID, rows) in rows.sorted(by: { $0.key < $1.key }) {
                _ = try ContactStore.insert(tx, TenantScope(workspaceID: workspaceID), rows, now: now, skipExisting: false)
            }
            rows = [:]
            addresses = []
        }

        private static func key(_ scope: TenantScope, _ column: String, _ value: String) -> String {
            scope.workspaceID + "\u{0}" + column + "\u{0}" + value
        }
    }
}
