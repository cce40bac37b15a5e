import CCurlShim

/// The client side of `ozzi tail`: reads a host's `/__ozzi/tail?worker=` stream line by line until the
/// host ends it. It blocks its thread (curl's easy interface): it runs in the CLI, never on a host's loop.
public enum TailClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Calls `line` with each NDJSON line (without its newline) as it arrives; returns when the host ends
    /// the stream. A refusal (401, 404, ...) throws with the host's message; so does a host not reached.
    public static func stream(baseURL: String, worker: String, token: String, line: @escaping (String) -> Void) throws {
        let url = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/__ozzi/tail?worker=" + percentEncoded(worker)
        guard let easy = curl_easy_init() else { throw Failure(description: "libcurl could not start") }
        defer { curl_easy_cleanup(easy) }
        var headers: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Authorization: Bearer \(token)")
        headers = curl_slist_append(headers, "Accept: application/x-ndjson")
        defer { curl_slist_free_all(headers) }
        let reader = LineReader(easy: easy, line: line)
        let box = Unmanaged.passRetained(reader)
        defer { box.release() }
        ozzi_easy_setopt_pointer(easy, CURLOPT_URL, url)
        ozzi_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headers)
        ozzi_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ozzi_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        ozzi_easy_setopt_long(easy, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        ozzi_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, box.toOpaque())
        ozzi_easy_setopt_data_cb(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let reader = Unmanaged<LineReader>.fromOpaque(user!).takeUnretainedValue()
            reader.receive(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        let result = curl_easy_perform(easy)
        if reader.status != 200 && reader.status != 0 {
            throw Failure(description: "the host answered \(reader.status): \(reader.errorMessage)")
        }
        guard result == CURLE_OK else {
            throw Failure(description: "cannot read \(url): \(String(cString: curl_easy_strerror(result)))")
        }
        reader.flush()
    }

    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Splits what curl delivers into lines; owned by the thread running `curl_easy_perform`.
    private final class LineReader {
        let easy: UnsafeMutableRawPointer
        let line: (String) -> Void
        var status = 0
        var pending: [UInt8] = []
        var errorBody: [UInt8] = []

        init(easy: UnsafeMutableRawPointer, line: @escaping (String) -> Void) {
            self.easy = easy
            self.line = line
        }

        func receive(_ bytes: UnsafeRawBufferPointer) {
            if status == 0 {
                var code = 0
                ozzi_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
                status = code
            }
            guard status == 200 else {
                errorBody.append(contentsOf: bytes.prefix(4096 - min(4096, errorBody.count)))
                return
            }
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    line(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        }

        func flush() {
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
            pending = []
        }

        /// The host's JSON error message, or its body as it came.
        var errorMessage: String {
            if case .object(let root)? = try? JSONValue(jsonBytes: errorBody), case .object(let error)? = root["error"],
               case .string(let message)? = error["message"] {
                return message
            }
            return String(decoding: errorBody, as: UTF8.self)
        }
    }
}
