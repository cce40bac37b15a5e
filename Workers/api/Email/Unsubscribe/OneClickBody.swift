import FoundationEssentials
import OzziRuntime

/// Whether a POST carries RFC 8058's `List-Unsubscribe=One-Click`, as mail clients send it: a form,
/// urlencoded or `multipart/form-data`.
enum OneClickBody {
    static func isOneClick(contentType: String?, body: [UInt8]) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.prefix { $0 != ";" }.trimmingPrefixAndSuffixSpaces().lowercased()
        switch mediaType {
        case "application/x-www-form-urlencoded":
            return FormEncoding.parse(String(decoding: body, as: UTF8.self)).contains { $0.0 == "List-Unsubscribe" && $0.1 == "One-Click" }
        case "multipart/form-data":
            guard let boundary = parameter("boundary", of: contentType) else { return false }
            return multipartFields(body, boundary: boundary).contains { $0.name == "List-Unsubscribe" && $0.value == "One-Click" }
        default:
            return false
        }
    }

    /// A `name=value` parameter of a header value (quoted or not).
    static func parameter(_ name: String, of header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingPrefixAndSuffixSpaces().lowercased() == name else { continue }
            var value = pair[1].trimmingPrefixAndSuffixSpaces()
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// The plain fields of a `multipart/form-data` body (RFC 7578): each part's `name` and its content as text.
    static func multipartFields(_ body: [UInt8], boundary: String) -> [(name: String, value: String)] {
        let text = String(decoding: body, as: UTF8.self)
        var fields: [(name: String, value: String)] = []
        for part in text.components(separatedBy: "--" + boundary).dropFirst() {
            // The closing delimiter is the boundary followed by "--".
            if part.hasPrefix("--") { break }
            let lines = part.replacingOccurrences(of: "\r\n", with: "\n")
            guard let blank = lines.range(of: "\n\n") else { continue }
            let head = lines[..<blank.lowerBound]
            var value = String(lines[blank.upperBound...])
            if value.hasSuffix("\n") { value.removeLast() }
            for line in head.split(separator: "\n") {
                let header = line.split(separator: ":", maxSplits: 1)
                guard header.count == 2, header[0].trimmingPrefixAndSuffixSpaces().lowercased() == "content-disposition",
                      let name = parameter("name", of: String(header[1])) else { continue }
                fields.append((name, value))
            }
        }
        return fields
    }
}
