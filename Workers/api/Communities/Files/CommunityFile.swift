import OzziRuntime

/// A file a member attached to a message (or uploaded to attach): its bytes in the FILES bucket, its name
/// and description searchable.
struct CommunityFile: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let community_id: String
    let channel_id: String
    /// The message it was posted with; nil until then.
    let message_id: Int64?
    let uploaded_by: String
    let name: String
    let content_type: String
    let size: Int
    let description: String
    let created_at: String

    enum CodingKeys: String, SQLColumn {
        case id, community_id, channel_id, message_id, uploaded_by, name, content_type, size, description, created_at
    }
    typealias Columns = CodingKeys

    static let maxBytes = 25 << 20
    /// Files on one message.
    static let perMessage = 10

    static let select = """
        SELECT id, community_id, channel_id, message_seq AS message_id, uploaded_by, name, content_type, size, description, created_at
        FROM community_files
        """

    static func bucketKey(community: String, id: String) -> String { "communities/\(community)/files/\(id)" }

    /// Where it is downloaded.
    var path: String { "/api/v1/communities/\(community_id)/channels/\(channel_id)/files/\(id)" }

    /// A name fit to store and to hand back in a `Content-Disposition`: no path, no control characters, no
    /// quotes; nil when nothing of it is left.
    static func cleanName(_ given: String) -> String? {
        let kept = String(String.UnicodeScalarView(given.unicodeScalars.filter { scalar in
            scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) && !"/\\\"".unicodeScalars.contains(scalar)
        })).trimmingPrefixAndSuffixSpaces()
        return kept.isEmpty ? nil : String(kept.prefix(255))
    }

    /// The upload's `Content-Type` when it is a plain `type/subtype`, else `application/octet-stream`.
    static func mediaType(_ header: String?) -> String {
        guard let header else { return "application/octet-stream" }
        let type = header.prefix { $0 != ";" }.trimmingPrefixAndSuffixSpaces().lowercased()
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in !part.isEmpty && part.count <= 100 && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$&^_.+-".contains($0)) } }
        return parts.count == 2 && token(parts[0]) && token(parts[1]) ? type : "application/octet-stream"
    }

    /// `attachment` with the name as ASCII (others as `_`) and, exactly, as RFC 5987 UTF-8.
    var contentDisposition: String {
        let ascii = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.isASCII ? $0 : "_" }))
        var encoded = ""
        for byte in name.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-._~".utf8.contains(byte) {
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

extension CommunityFile: APIModel {
    static let schemaName = "CommunityFile"
    static let schema = Schema.object([
        .required("id", Schema.string().example("cfl_01jd3k5v7n0000000000000000")),
        .required("community_id", .string()),
        .required("channel_id", .string()),
        .optional("message_id", Schema.integer(min: 1).described("The message it was posted with; absent until then")),
        .required("uploaded_by", .string()),
        .required("name", Schema.string().example("route-map.pdf")),
        .required("content_type", Schema.string().example("application/pdf")),
        .required("size", Schema.integer(min: 1).described("Bytes")),
        .required("description", Schema.string().described("What the uploader said it is")),
        .required("created_at", .timestamp),
    ], closed: true)
}
