/// RFC 6376 §3.4 `relaxed` canonicalization, of header fields and of the body, over raw message bytes
/// (CRLF line ends). Pure: what the signer hashes and signs, tested on the RFC's examples.
enum DKIMCanonicalization {
    /// One header field as signed: name lower-cased, the value unfolded, runs of spaces and tabs made one
    /// space, none at either end of the value or around the colon; ends with CRLF.
    /// `field` is the whole field as it appears in the message, folds included, without its final CRLF.
    static func relaxedHeader(_ field: ArraySlice<UInt8>) -> [UInt8] {
        guard let colon = field.firstIndex(of: colonByte) else { return Array(field) + crlf }
        var out = [UInt8]()
        out.reserveCapacity(field.count + 2)
        for byte in field[..<colon] where !isWhitespace(byte) && byte != cr && byte != lf {
            out.append(lowercased(byte))
        }
        out.append(colonByte)
        let valueStart = out.count
        var pendingSpace = false
        for byte in field[(colon + 1)...] {
            if byte == cr || byte == lf { continue }  // unfolding: a fold is CRLF before whitespace
            if isWhitespace(byte) {
                pendingSpace = true
                continue
            }
            // Whitespace right after the colon is dropped: only a space between two value bytes stays.
            if pendingSpace && out.count > valueStart { out.append(space) }
            pendingSpace = false
            out.append(byte)
        }
        return out + crlf
    }

    /// The body as signed: trailing spaces and tabs on each line removed, runs of them made one space,
    /// empty lines at the end dropped; a non-empty body ends with CRLF, an empty one is empty.
    static func relaxedBody(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(body.count + 2)
        var lineStart = body.startIndex
        // Blank lines are held back until a line with content follows: trailing ones are dropped.
        var heldBlankLines = 0
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex && !(body[lineEnd] == cr && lineEnd + 1 < body.endIndex && body[lineEnd + 1] == lf) {
                lineEnd += 1
            }
            var line = [UInt8]()
            var pendingSpace = false
            for byte in body[lineStart..<lineEnd] {
                if isWhitespace(byte) {
                    pendingSpace = true
                } else {
                    if pendingSpace { line.append(space) }
                    pendingSpace = false
                    line.append(byte)
                }
            }
            if line.isEmpty {
                heldBlankLines += 1
            } else {
                for _ in 0..<heldBlankLines { out.append(contentsOf: crlf) }
                heldBlankLines = 0
                out.append(contentsOf: line)
                out.append(contentsOf: crlf)
            }
            lineStart = min(lineEnd + 2, body.endIndex)
        }
        return out
    }

    /// The message split into its header fields (each with its folds, without the final CRLF) and its
    /// body (after the blank line; empty when there is none).
    static func split(_ message: [UInt8]) -> (fields: [ArraySlice<UInt8>], body: ArraySlice<UInt8>) {
        var fields = [ArraySlice<UInt8>]()
        var index = message.startIndex
        var fieldStart = index
        while index + 1 < message.endIndex {
            guard message[index] == cr && message[index + 1] == lf else {
                index += 1
                continue
            }
            if index == fieldStart {  // the blank line: the body follows
                return (fields, message[(index + 2)...])
            }
            let next = index + 2
            // A line starting with a space or tab continues the field (folding).
            if next < message.endIndex && isWhitespace(message[next]) {
                index = next
                continue
            }
            fields.append(message[fieldStart..<index])
            fieldStart = next
            index = next
        }
        if fieldStart < message.endIndex { fields.append(message[fieldStart...]) }
        return (fields, [])
    }

    /// A field's name, lower-cased, for matching against `h=`.
    static func name(of field: ArraySlice<UInt8>) -> String {
        let end = field.firstIndex(of: colonByte) ?? field.endIndex
        return String(decoding: field[..<end].filter { !isWhitespace($0) }.map(lowercased), as: UTF8.self)
    }

    static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20, tab: UInt8 = 0x09, colonByte: UInt8 = 0x3A

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
}
