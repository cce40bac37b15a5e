import OzziRuntime

/// Which version of an event Google has: its `etag` (what `If-Match` names) and `updated`.
struct GoogleVersion: Sendable, Equatable {
    let etag: String
    let updatedMs: Int64

    init?(_ json: JSONValue?) {
        guard let etag = json?["etag"]?.stringValue else { return nil }
        self.etag = etag
        updatedMs = json?["updated"]?.stringValue.flatMap(RFC3339.milliseconds) ?? 0
    }
}
