import Foundation

/// The account emails (sign-up verification, password resets, invitations) a host's simulated system
/// sender kept, read from its data folder as a developer without a mail provider would: each is an mbox
/// blob of the `FILES` bucket (`<data>/<worker>/r2/<bucket>/blobs/`), on either engine.
public enum AccountMailbox {
    /// One kept email, its bodies decoded from quoted-printable.
    public struct Email: Sendable {
        public let to: String
        public let subject: String
        /// The whole message with its bodies decoded: headers, the text part and the HTML part.
        public let decoded: String
        let modified: Date
        let file: String

        /// The token of the first link to `path` (`/api/v1/auth/verify-email`), from its `#token=` fragment.
        public func token(path: String) -> String? {
            guard let range = decoded.range(of: path + "#token=") else { return nil }
            let token = decoded[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            return token.isEmpty ? nil : String(token)
        }
    }

    /// The emails kept for `address` under `dataDirectory` (one host's, or a cluster's shared folder),
    /// oldest first.
    public static func emails(in dataDirectory: String, to address: String) -> [Email] {
        let files = FileManager.default.enumerator(atPath: dataDirectory)?.compactMap { $0 as? String }
            .filter { $0.contains("/r2/") && $0.contains("/blobs/") } ?? []
        var found: [Email] = []
        for file in files {
            let path = dataDirectory + "/" + file
            // The head first: a bucket also holds imports and campaigns' packs of thousands of emails, read
            // whole only when the first message is to `address` (an account email is a pack of its own).
            guard let head = Self.head(of: path), head.starts(with: Array("From ".utf8)) else { continue }
            let headers = unfolded(String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? "")
            let header = { (name: String) in
                headers.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
            }
            guard let to = header("To"), to.lowercased().contains(address.lowercased()),
                  let data = FileManager.default.contents(atPath: path),
                  let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { continue }
            found.append(Email(to: to, subject: header("Subject") ?? "", decoded: quotedPrintableDecoded(String(decoding: data, as: UTF8.self)),
                               modified: modified, file: file))
        }
        return found.sorted { ($0.modified, $0.file) < ($1.modified, $1.file) }
    }

    /// Waits for an email to `address` beyond the `after` already kept, whose link carries a token for
    /// `path` (any email when nil); answers the newest such.
    public static func next(in dataDirectory: String, to address: String, after: Int, path: String?,
                            timeout: Duration = .seconds(180)) async throws -> Email {
        var email: Email?
        // Not every 10 ms: every test signs up, and each look walks the host's data folder.
        _ = try await Poll.until(timeout: timeout, interval: .milliseconds(50)) {
            email = emails(in: dataDirectory, to: address).dropFirst(after).last { email in path.map { email.token(path: $0) != nil } ?? true }
            return email != nil
        }
        guard let email else { throw NoEmail(address: address, path: path ?? "anywhere") }
        return email
    }

    /// The token of the link to `path` in the email `next` finds.
    public static func nextToken(in dataDirectory: String, to address: String, after: Int, path: String) async throws -> String {
        guard let token = try await next(in: dataDirectory, to: address, after: after, path: path).token(path: path) else {
            throw NoEmail(address: address, path: path)
        }
        return token
    }

    public struct NoEmail: Error, CustomStringConvertible {
        let address: String
        let path: String
        public var description: String { "no email to \(address) with a link to \(path) was kept" }
    }

    /// The first 8 KiB of a file: an email's headers.
    private static func head(of path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return try? handle.read(upToCount: 8192)
    }

    private static func unfolded(_ block: String) -> [String] {
        var lines: [String] = []
        for line in block.components(separatedBy: "\r\n") {
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty { lines[lines.count - 1] += line } else { lines.append(line) }
        }
        return lines
    }

    /// Soft line breaks removed, `=XX` decoded; anything else (a MIME boundary's `=_`) kept as it is.
    static func quotedPrintableDecoded(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        let hex = { (byte: UInt8) -> UInt8? in
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            default: nil
            }
        }
        while index < bytes.count {
            if bytes[index] == 0x3D {
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { index += 3; continue }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
