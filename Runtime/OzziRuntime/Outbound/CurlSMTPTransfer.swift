import CCurlShim

/// One SMTP submission as a curl easy handle: envelope and credentials as options, the message given
/// through a read callback, the server's replies collected from the header callback (curl passes every
/// SMTP reply line there). Loop-confined, like its `CurlMulti`.
final class CurlSMTPTransfer: CurlEasyTransfer {
    let easy: UnsafeMutableRawPointer
    private let completion: (SMTPOutcome) -> Void
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private var addressGuard: CurlAddressGuard?
    /// What has yet to be handed to curl. No seek callback: curl cannot rewind and send it twice.
    private var unsent: ArraySlice<UInt8>
    /// Lines of a multi-line reply seen so far (`250-...`), until its last line (`250 ...`).
    private var partialReply: [String] = []
    /// The first 4xx or 5xx reply: the refusal (curl then says QUIT, whose 221 must not hide it).
    private var refusal: (reply: SMTPReply, afterData: Bool)?
    /// The server answered DATA with 354: what it answers next is about the message itself.
    private var dataStarted = false
    /// The server's reply to the end of the data.
    private var dataReply: SMTPReply?

    init(_ submission: SMTPSubmission, completion: @escaping (SMTPOutcome) -> Void) {
        easy = curl_easy_init()!
        self.completion = completion
        unsent = submission.message[...]
        let me = Unmanaged.passUnretained(self).toOpaque()
        ozzi_easy_setopt_pointer(easy, CURLOPT_URL, submission.url)
        ozzi_easy_setopt_long(easy, CURLOPT_PROTOCOLS, Int(CURLPROTO_SMTP | CURLPROTO_SMTPS))
        ozzi_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ozzi_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, submission.timeoutMilliseconds)
        // STARTTLS or fail (implicit TLS is TLS anyway): never AUTH over a plain connection.
        ozzi_easy_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        if let caFile = submission.caFile { ozzi_easy_setopt_pointer(easy, CURLOPT_CAINFO, caFile) }
        if let username = submission.username {
            ozzi_easy_setopt_pointer(easy, CURLOPT_USERNAME, username)
            ozzi_easy_setopt_pointer(easy, CURLOPT_PASSWORD, submission.password ?? "")
        }
        ozzi_easy_setopt_pointer(easy, CURLOPT_MAIL_FROM, "<\(submission.from)>")
        for recipient in submission.recipients { recipients = curl_slist_append(recipients, "<\(recipient)>") }
        ozzi_easy_setopt_pointer(easy, CURLOPT_MAIL_RCPT, recipients)
        ozzi_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
        ozzi_easy_setopt_pointer(easy, CURLOPT_READDATA, me)
        ozzi_easy_setopt_data_cb(easy, CURLOPT_READFUNCTION) { buffer, size, count, user in
            Unmanaged<CurlSMTPTransfer>.fromOpaque(user!).takeUnretainedValue().unsent.moveFront(into: buffer!, capacity: size * count)
        }
        ozzi_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        ozzi_easy_setopt_data_cb(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            Unmanaged<CurlSMTPTransfer>.fromOpaque(user!).takeUnretainedValue().replyLine(data!, size * count)
        }
        if submission.publicAddressesOnly { addressGuard = CurlAddressGuard(easy) }
    }

    deinit {
        curl_slist_free_all(recipients)
        curl_easy_cleanup(easy)
    }

    private func replyLine(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        var bytes = Array(UnsafeRawBufferPointer(start: data, count: count))
        while let last = bytes.last, last == 0x0D || last == 0x0A { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard line.utf8.count >= 3, let code = Int(line.prefix(3)) else { return count }
        let text = String(line.dropFirst(4))
        if line.utf8.count > 3 && line.utf8[line.utf8.index(line.utf8.startIndex, offsetBy: 3)] == UInt8(ascii: "-") {
            partialReply.append(text)
            return count
        }
        let reply = SMTPReply(code: code, text: (partialReply + [text]).joined(separator: "\n"))
        partialReply = []
        if dataStarted && dataReply == nil {
            dataReply = reply
        } else if code == 354 {
            dataStarted = true
        }
        if code >= 400 && refusal == nil { refusal = (reply, dataStarted) }
        return count
    }

    func finish(_ result: CURLcode) {
        if let refusal {  // curl reports refusals under several codes
            completion(.rejected(refusal.reply, afterData: refusal.afterData))
            return
        }
        if result == CURLE_OK, let reply = dataReply {
            completion(.accepted(reply))
            return
        }
        let message = String(cString: curl_easy_strerror(result))
        // Handed over whole after the server's 354, with no reply to it: the server may have queued it.
        let sent = dataStarted && unsent.isEmpty && dataReply == nil
        let kind: SMTPFailure.Kind = switch result {
        case _ where addressGuard?.refused != nil: .refusedAddress
        case CURLE_USE_SSL_FAILED: .tlsUnavailable
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: .tls
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        default: .connection
        }
        let detail = addressGuard?.refused.map { "refused to connect to \($0.address), \($0.reason)" } ?? "\(message) (curl \(result.rawValue))"
        completion(.failed(SMTPFailure(kind: kind, message: detail, messageSent: sent)))
    }
}
