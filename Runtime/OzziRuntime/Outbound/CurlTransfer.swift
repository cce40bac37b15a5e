import CCurlShim

/// One easy handle: the request's options, the response as it arrives, and who to tell when done.
/// Loop-confined, like its `CurlMulti`.
final class CurlTransfer: CurlEasyTransfer {
    let easy: UnsafeMutableRawPointer
    private let url: String
    private let timeoutMilliseconds: Int
    private let maxResponseBytes: Int
    private let completion: (Result<OutboundResponse, Error>) -> Void
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private var responseHeaders: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var tooLarge = false
    private let bodyBytes: Int
    /// What a non-resendable body has yet to hand to curl.
    private var unsentBody: ArraySlice<UInt8> = []
    private let resendableBody: Bool
    /// Set for a `publicAddressesOnly` transfer.
    private var addressGuard: CurlAddressGuard?
    /// Set for a streamed response: each piece of the body goes here as it arrives instead of being kept,
    /// with the status and headers (complete by then).
    var bodySink: ((_ status: Int, _ headers: HTTPHeaders, _ bytes: [UInt8]) -> Void)?
    private var received = 0

    init(request: OutboundRequest, timeoutMilliseconds: Int, maxResponseBytes: Int,
         completion: @escaping (Result<OutboundResponse, Error>) -> Void) {
        easy = curl_easy_init()!
        url = request.url
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
        self.completion = completion
        bodyBytes = request.body.count
        resendableBody = request.resendable
        let me = Unmanaged.passUnretained(self).toOpaque()
        ozzi_easy_setopt_pointer(easy, CURLOPT_URL, request.url)
        ozzi_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ozzi_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        // Redirects are not followed: a redirect could lead outside the worker's allowed hosts.
        ozzi_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ozzi_easy_setopt_long(easy, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS))
        ozzi_easy_setopt_pointer(easy, CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "HEAD" { ozzi_easy_setopt_long(easy, CURLOPT_NOBODY, 1) }
        if !request.body.isEmpty && !request.resendable {
            // Given through a read callback with no way to rewind it, the body cannot be sent twice: curl's
            // retry of a request on a dead reused connection fails (CURLE_SEND_FAIL_REWIND) instead.
            unsentBody = request.body[...]
            ozzi_easy_setopt_long(easy, CURLOPT_POST, 1)
            ozzi_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count)
            ozzi_easy_setopt_pointer(easy, CURLOPT_READDATA, me)
            ozzi_easy_setopt_data_cb(easy, CURLOPT_READFUNCTION) { buffer, size, count, user in
                Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().unsentBody.moveFront(into: buffer!, capacity: size * count)
            }
        } else if !request.body.isEmpty {
            ozzi_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count)
            request.body.withUnsafeBytes { _ = ozzi_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        }
        // curl adds `Expect: 100-continue` to large bodies; an empty value turns that off.
        for (name, value) in request.headers.fields + [("Expect", "")] {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        ozzi_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList)
        // CONNECT_TO, not RESOLVE: it binds this transfer only (RESOLVE entries stay in the loop's shared
        // DNS cache), and curl keeps such connections apart when reusing them. TLS still checks the URL's name.
        if let address = request.pinnedAddresses.first, let target = OutboundURL(request.url) {
            let connectTo = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
            connectToList = curl_slist_append(connectToList, "\(target.host):\(target.port):\(connectTo):\(target.port)")
            ozzi_easy_setopt_pointer(easy, CURLOPT_CONNECT_TO, connectToList)
        }
        if request.publicAddressesOnly { addressGuard = CurlAddressGuard(easy) }
        ozzi_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        ozzi_easy_setopt_data_cb(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().received(data!, size * count)
        }
        ozzi_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        ozzi_easy_setopt_data_cb(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().header(data!, size * count)
        }
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectToList)
        curl_easy_cleanup(easy)
    }

    private func received(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard received + count <= maxResponseBytes else {
            tooLarge = true
            return 0  // aborts the transfer
        }
        received += count
        if let bodySink {
            var status = 0
            ozzi_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            bodySink(status, HTTPHeaders(responseHeaders), Array(UnsafeRawBufferPointer(start: data, count: count)))
            return count
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    private func header(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        var bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
        while let last = bytes.last, last == 0x0D || last == 0x0A { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            responseHeaders = []  // a new response (after 100 Continue) starts its own header block
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].trimmingASCIISpaces())
            responseHeaders.append((name, value))
        }
        return count
    }

    /// Whether the request line, headers and the whole body were written to the connection: after that
    /// the server may have acted on it even though no answer came. (A partial body cannot be acted on:
    /// the server waits for `Content-Length` bytes.)
    private var requestSent: Bool {
        var headerBytes = 0
        var uploaded: curl_off_t = 0
        ozzi_easy_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &headerBytes)
        ozzi_easy_getinfo_off(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        // A body read through the callback and taken whole counts as sent even when curl's counters were
        // reset by a retry it then could not make (the rewind it needed is refused on purpose).
        if !resendableBody, bodyBytes > 0, unsentBody.isEmpty { return true }
        return headerBytes > 0 && Int(uploaded) >= bodyBytes
    }

    func finish(_ result: CURLcode) {
        switch result {
        case CURLE_OK:
            var status = 0
            ozzi_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            completion(.success(OutboundResponse(status: status, headers: HTTPHeaders(responseHeaders), body: body)))
        case CURLE_OPERATION_TIMEDOUT:
            completion(.failure(OutboundError.timedOut(url: url, milliseconds: timeoutMilliseconds, requestSent: requestSent)))
        case _ where addressGuard?.refused != nil:
            let refused = addressGuard!.refused!
            completion(.failure(OutboundError.refusedAddress(url: url, address: refused.address, reason: refused.reason)))
        case CURLE_WRITE_ERROR where tooLarge:
            completion(.failure(OutboundError.responseTooLarge(url: url, limit: maxResponseBytes)))
        default:
            completion(.failure(OutboundError.transport(url: url, code: Int32(result.rawValue), message: String(cString: curl_easy_strerror(result)),
                                                         requestSent: requestSent)))
        }
    }
}
