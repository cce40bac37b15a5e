/// Server-Sent Events as they arrive in pieces: feed bytes, take whole events' `data`. A `data` spread
/// over several lines is joined with newlines; comments and other fields are skipped; CRLF, CR and LF all
/// end lines (the WHATWG rules).
struct ServerSentEvents {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    /// The `data` of each event that `bytes` completes.
    mutating func feed(_ bytes: [UInt8]) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                lastWasCR = byte == 0x0D
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard hasData else { return nil }
            let event = String(decoding: data, as: UTF8.self)
            data.removeAll(keepingCapacity: true)
            hasData = false
            return event
        }
        guard line.starts(with: Array("data".utf8)) else { return nil }
        var value = line.dropFirst(4)
        guard value.isEmpty || value.first == UInt8(ascii: ":") else { return nil }
        value = value.dropFirst()
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }
}
