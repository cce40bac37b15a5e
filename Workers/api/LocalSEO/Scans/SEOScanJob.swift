import OzziRuntime

/// Runs (or, after a crash, finishes) one scan: its points not searched yet.
struct SEOScanJob: QueueJob {
    static let kind = "seo_scan"
    let scanID: String

    init(scanID: String) { self.scanID = scanID }
    init(_ payload: JobPayload) throws(JobPayloadError) { scanID = try payload.string("scan_id") }
    var fields: [String: JSONValue] { ["scan_id": .string(scanID)] }
}
