/// A call as a row of the history's CSV export.
enum CallCSV {
    static let pageSize = 1_000
    static let columns = ["id", "started_at", "direction", "from", "to", "status", "duration_seconds", "number_id", "contact_id", "classification",
                          "rating", "review_status", "price", "price_unit", "has_recording", "handoff_reason", "ended_at"]

    static func line(_ call: Call) -> String {
        CSVWriter.line([
            call.id, call.started_at, call.direction, call.from_number, call.to_number, call.status, call.duration_seconds.map(String.init) ?? "",
            call.number_id ?? "", call.contact_id ?? "", call.classification ?? "", call.rating.map(String.init) ?? "", call.review_status ?? "",
            call.price.map { String($0) } ?? "", call.price_unit ?? "", call.has_recording ? "true" : "false",
            // What a caller's words may have shaped is kept as text by a spreadsheet.
            CSVWriter.cell(call.handoff_reason ?? ""), call.ended_at ?? "",
        ])
    }
}
