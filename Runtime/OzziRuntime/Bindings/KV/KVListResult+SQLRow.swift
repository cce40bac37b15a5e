extension KVListResult.Key {
    /// A listed key from a SQL row of `key`, `metadata` and `expiration`, as both SQL engines store them.
    init(row: SQLRow) {
        self.init(name: row.text("key") ?? "", expiration: row.integer("expiration"), metadata: KVWrite.metadata(row.text("metadata")))
    }
}
