/// A cacheable answer with a strong `ETag` (a hash of its bytes): `If-None-Match` naming it gets a 304
/// with no body.
public enum Validated {
    public static func response(_ bytes: [UInt8], contentType: String, request: Request, cacheControl: String) -> Response {
        let tag = "\"" + Crypto.hex(Array(Crypto.sha256(bytes).prefix(12))) + "\""
        let matches = (request.headers["if-none-match"] ?? "").split(separator: ",").contains { candidate in
            let trimmed = String(candidate.filter { $0 != " " })
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
        let response = matches ? Response(status: 304) : Response.bytes(bytes, contentType: contentType)
        return response.adding(header: "etag", tag).adding(header: "cache-control", cacheControl).adding(header: "x-content-type-options", "nosniff")
    }
}
