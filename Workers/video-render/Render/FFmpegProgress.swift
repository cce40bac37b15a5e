/// ffmpeg's `-progress pipe:1` output, read as it comes: blocks of `key=value` lines, each closed by
/// `progress=continue` (or `progress=end` at the last). Pure: chunks in, the time rendered so far out.
struct FFmpegProgress {
    private var pending: [UInt8] = []
    private var outTimeUs: Int64 = 0
    /// Seconds of the output written when the last block closed.
    private(set) var seconds: Double = 0
    private(set) var ended = false

    /// Feeds a chunk; true when a block closed (so `seconds` may have moved).
    mutating func feed(_ chunk: [UInt8]) -> Bool {
        pending += chunk
        var closed = false
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[..<newline]
            pending.removeSubrange(...newline)
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = String(decoding: line[..<equals], as: UTF8.self)
            let value = String(decoding: line[line.index(after: equals)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            switch key {
            // `out_time_us` (and its old misnamed twin `out_time_ms`, also microseconds); "N/A" before the first frame.
            case "out_time_us", "out_time_ms":
                if let micros = Int64(value), micros >= 0 { outTimeUs = max(outTimeUs, micros) }
            case "progress":
                seconds = Double(outTimeUs) / 1_000_000
                ended = ended || value == "end"
                closed = true
            default:
                break
            }
        }
        // A line never ends in a runaway output: keep what a line may be, no more.
        if pending.count > 4_096 { pending.removeAll() }
        return closed
    }
}
