/// Serializes a status line and header block, adding the headers the server owns.
enum HTTPResponseHead {
    enum Framing {
        case contentLength(Int)
        case chunked
        /// Body ends when the connection closes (HTTP/1.0 streaming) or there is none (1xx, 204, 304).
        case none
    }

    static func serialize(
        status: Int, headers: HTTPHeaders, framing: Framing, keepAlive: Bool, http10: Bool,
        requestID: String, date: [UInt8], into out: inout [UInt8]
    ) {
        out.append(contentsOf: HTTPStatus.statusLine(status))
        for (name, value) in headers where isSafe(name: name, value: value) && !isServerOwned(name) {
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        switch framing {
        case .contentLength(let n): out.append(contentsOf: "content-length: \(n)\r\n".utf8)
        case .chunked: out.append(contentsOf: "transfer-encoding: chunked\r\n".utf8)
        case .none: break
        }
        out.append(contentsOf: "date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nx-request-id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        if !keepAlive {
            out.append(contentsOf: "\r\nconnection: close".utf8)
        } else if http10 {
            out.append(contentsOf: "\r\nconnection: keep-alive".utf8)
        }
        out.append(contentsOf: "\r\n\r\n".utf8)
    }

    /// A worker's header that could split the response (CR, LF, NUL) is dropped rather than sent.
    static func isSafe(name: String, value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPToken.isTokenByte) && value.utf8.allSatisfy(HTTPToken.isFieldValueByte)
    }

    /// Framing and connection headers are the server's to decide, whatever a worker set.
    static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: name.equalsIgnoringASCIICase("date")
        case 10: name.equalsIgnoringASCIICase("connection") || name.equalsIgnoringASCIICase("keep-alive")
        case 12: name.equalsIgnoringASCIICase("x-request-id")
        case 14: name.equalsIgnoringASCIICase("content-length")
        case 17: name.equalsIgnoringASCIICase("transfer-encoding")
        default: false
        }
    }
}
