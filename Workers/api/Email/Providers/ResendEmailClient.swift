import OzziRuntime

/// Resend's email API through outbound fetch: one email -> `POST {base}/emails`, more -> `POST
/// {base}/emails/batch` (at most 100 a call), with an `Idempotency-Key` Resend keeps for 24 hours.
/// Answers map to transient (429 with its Retry-After, 5xx, failures before the request was sent),
/// permanent (Resend's validation errors) or, for a batch whose fate is not known, unknown.
struct ResendEmailClient: EmailProvider {
    let name = "resend"
    let maxBatch = 100
    /// `https://api.resend.com` unless configured (`RESEND_API_BASE`), so tests can point it at a stub.
    let baseURL: String
    let apiKey: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    func send(_ emails: [OutgoingEmail]) async -> [SendResult] {
        var results = [SendResult]()
        results.reserveCapacity(emails.count)
        var rest = emails[...]
        while !rest.isEmpty {
            let chunk = Array(rest.prefix(maxBatch))
            rest = rest.dropFirst(maxBatch)
            results += chunk.count == 1 ? [await sendOne(chunk[0])] : await sendBatch(chunk)
        }
        return results
    }

    private func sendOne(_ email: OutgoingEmail) async -> SendResult {
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(request("/emails", body: Self.json(email), idempotencyKey: email.messageID))
        } catch {
            // Sent or not, the retry carries the same Idempotency-Key: within Resend's 24 hours it cannot
            // send the email twice, so even a call that went unanswered is safe to retry.
            return .transient(code: "network", message: "\(error)", retryAfterSeconds: nil)
        }
        guard (200..<300).contains(response.status) else { return Self.failure(response) }
        guard let id = (try? JSONValue(jsonBytes: response.body))?["id"]?.stringValue, !id.isEmpty else {
            return .transient(code: "\(response.status)", message: "Resend answered \(response.status) without an email id", retryAfterSeconds: nil)
        }
        return .accepted(providerID: id)
    }

    private func sendBatch(_ emails: [OutgoingEmail]) async -> [SendResult] {
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(request("/emails/batch", body: .array(emails.map(Self.json)),
                                                        idempotencyKey: Self.batchKey(emails)))
        } catch let error as OutboundError where error.requestSent {
            // The key names this batch only: the engine may group these emails differently next time,
            // and a new batch would send again whatever this one sent. A person decides.
            return Array(repeating: .unknown(code: "no_answer", message: "\(error)"), count: emails.count)
        } catch {
            return Array(repeating: .transient(code: "network", message: "\(error)", retryAfterSeconds: nil), count: emails.count)
        }
        if (200..<300).contains(response.status) {
            let ids = (try? JSONValue(jsonBytes: response.body))?["data"]?.arrayValue?.map { $0["id"]?.stringValue ?? "" }
            guard let ids, ids.count == emails.count, ids.allSatisfy({ !$0.isEmpty }) else {
                return Array(repeating: .unknown(code: "\(response.status)", message: "Resend took the batch but did not answer one id per email"),
                             count: emails.count)
            }
            return ids.map { .accepted(providerID: $0) }
        }
        // Resend refuses a whole batch when one email is invalid: each is sent alone so only that one fails.
        if response.status == 400 || response.status == 422 {
            var results = [SendResult]()
            for email in emails { results.append(await sendOne(email)) }
            return results
        }
        return Array(repeating: Self.failure(response), count: emails.count)
    }

    private func request(_ path: String, body: JSONValue, idempotencyKey: String) -> OutboundRequest {
        OutboundRequest(method: "POST", url: baseURL + path,
                        headers: ["authorization": "Bearer \(apiKey)", "content-type": "application/json", "accept": "application/json",
                                  "idempotency-key": idempotencyKey],
                        body: body.jsonBytes, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// One email as Resend's JSON. Our message id rides along as a header, as it does over SMTP.
    static func json(_ email: OutgoingEmail) -> JSONValue {
        var fields: [String: JSONValue] = [
            "from": .string(email.from), "to": [.string(email.to)], "subject": .string(email.subject), "text": .string(email.text),
        ]
        if let html = email.html { fields["html"] = .string(html) }
        if let replyTo = email.replyTo { fields["reply_to"] = .string(replyTo) }
        var headers: [String: JSONValue] = ["X-Ozzi-Message-Id": .string(email.messageID)]
        for header in email.headers { headers[header.name] = .string(header.value) }
        fields["headers"] = .object(headers)
        if !email.tags.isEmpty {
            fields["tags"] = .array(email.tags.map { ["name": .string($0.name), "value": .string($0.value)] })
        }
        return .object(fields)
    }

    /// The same emails in the same order give the same key, so a call curl repeats is taken once.
    static func batchKey(_ emails: [OutgoingEmail]) -> String {
        "batch-" + Crypto.sha256Hex(emails.map(\.messageID).joined(separator: "\n"))
    }

    /// What a refusal means for the emails it was about.
    static func failure(_ response: OutboundResponse) -> SendResult {
        let json = try? JSONValue(jsonBytes: response.body)
        let code = json?["name"]?.stringValue ?? "\(response.status)"
        let message = json?["message"]?.stringValue ?? "Resend answered \(response.status)"
        switch response.status {
        case 429:
            return .transient(code: code, message: message, retryAfterSeconds: response.headers["retry-after"].flatMap(Double.init))
        case 409 where code == "concurrent_idempotent_requests":
            // The same key is still being worked on (an earlier attempt): its outcome will be known shortly.
            return .transient(code: code, message: message, retryAfterSeconds: 1)
        case 500...:
            return .transient(code: code, message: message, retryAfterSeconds: nil)
        default:
            return .permanent(code: code, message: message)
        }
    }
}
