/// Reason phrases for the status line.
enum HTTPStatus {
    /// `HTTP/1.1 200 OK\r\n` and friends, serialized once per status code.
    static let statusLines: [[UInt8]] = (0..<600).map { Array("HTTP/1.1 \($0) \(reason($0))\r\n".utf8) }

    static func statusLine(_ code: Int) -> [UInt8] {
        (100..<600).contains(code) ? statusLines[code] : Array("HTTP/1.1 \(code) \(reason(code))\r\n".utf8)
    }

    static func reason(_ code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(code)"
        }
    }

    /// Statuses whose responses never carry a body (RFC 9110 §6.4.1).
    static func forbidsBody(_ code: Int) -> Bool {
        code < 200 || code == 204 || code == 304
    }
}
