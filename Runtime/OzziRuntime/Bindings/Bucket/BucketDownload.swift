import FoundationEssentials
import Glibc

/// A bucket object as an HTTP answer for a player or a download: `Accept-Ranges`, one byte range as
/// `206` (`If-Range` honoured), `416` past the end, and `304` for an `If-None-Match` that names its etag.
/// Only the bytes asked for are read from the bucket.
public enum BucketDownload {
    public static func response(_ bucket: any Bucket, key: String, request: Request, headers extra: HTTPHeaders = [:]) async throws -> Response? {
        guard let head = try await bucket.head(key) else { return nil }
        if let match = request.headers["if-none-match"], match.split(separator: ",").contains(where: { $0.trimmed == head.httpEtag || $0.trimmed == "*" }) {
            return Response(status: 304, headers: headers(head, extra, body: false))
        }
        // A range is for the copy the client already holds part of: another copy gets the whole body.
        let rangeHolds = request.headers["if-range"].map { $0 == head.httpEtag } ?? true
        let range = rangeHolds ? ByteRangeRequest(header: request.headers["range"], size: head.size) : .whole
        switch range {
        case .unsatisfiable:
            var answer = headers(head, extra, body: false)
            answer.add("content-range", range.contentRange(size: head.size)!)
            return Response(status: 416, headers: answer)
        case .partial(let offset, let length):
            guard let (object, bytes) = try await bucket.get(key, range: .offset(offset, length: length)) else { return nil }
            // Replaced since the head: the range is of the object read, and says so.
            var answer = headers(object, extra, body: true)
            answer.add("content-range", ByteRangeRequest.partial(offset: offset, length: bytes.count).contentRange(size: object.size)!)
            return Response(status: 206, headers: answer, body: .bytes(bytes))
        case .whole:
            guard let (object, bytes) = try await bucket.get(key) else { return nil }
            return Response(status: 200, headers: headers(object, extra, body: true), body: .bytes(bytes))
        }
    }

    private static func headers(_ object: BucketObject, _ extra: HTTPHeaders, body: Bool) -> HTTPHeaders {
        var headers = extra
        headers.add("accept-ranges", "bytes")
        headers.add("etag", object.httpEtag)
        headers.add("last-modified", HTTPDate.format(time_t(object.uploaded.timeIntervalSince1970)))
        if body { headers.add("content-type", object.contentType ?? "application/octet-stream") }
        return headers
    }
}

extension Substring {
    fileprivate var trimmed: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        return text
    }
}
