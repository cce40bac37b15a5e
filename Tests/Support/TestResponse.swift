import Foundation
import OzziRuntime

/// What a test client got back: status, headers (lowercased names; `Set-Cookie` apart, in order), body text,
/// and the body's bytes as they came (in process; a live answer's are its text's).
public struct TestResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let cookies: [String]
    public let body: String
    public let bytes: [UInt8]

    public init(status: Int, headers: [String: String] = [:], cookies: [String] = [], body: String, bytes: [UInt8]? = nil) {
        self.status = status
        self.headers = headers
        self.cookies = cookies
        self.body = body
        self.bytes = bytes ?? Array(body.utf8)
    }

    /// From `curl -i` output: the status line and headers, a blank line, the body.
    init(curlOutput: String) {
        let parts = curlOutput.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        var fields: [(name: String, value: String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.init(status: Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0, fields: HTTPHeaders(fields),
                  body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    init(status: Int, fields: HTTPHeaders, body: String, bytes: [UInt8]? = nil) {
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for (name, value) in fields {
            let lowered = name.lowercased()
            if lowered == "set-cookie" { cookies.append(value) } else { headers[lowered] = value }
        }
        self.init(status: status, headers: headers, cookies: cookies, body: body, bytes: bytes)
    }

    /// The body as JSON; `.null` when it is not JSON.
    public var json: JSONValue { (try? JSONValue(jsonBytes: Array(body.utf8))) ?? .null }
    public subscript(key: String) -> JSONValue? { json[key] }
    /// The `data` array of a list answer.
    public var data: [JSONValue] { json["data"]?.arrayValue ?? [] }

    /// The string at a path of object keys, e.g. `string("user", "id")`.
    public func string(_ path: String...) -> String? {
        var value: JSONValue? = json
        for key in path { value = value?[key] }
        return value?.stringValue
    }
}
