import OzziRuntime

/// The Calendar v3 REST API over outbound fetch, for one access token at a time. Rate limits (429, and
/// 403 `rateLimitExceeded` / `userRateLimitExceeded`) and server errors are retried with exponential
/// backoff, as Google asks; every other answer is the caller's.
struct GoogleCalendarAPI: Sendable {
    let base: String
    let outbound: OutboundFetcher
    /// The waits between attempts: 1, 2 then 4 seconds (a test may shorten them).
    var backoff: [Double] = [1, 2, 4]
    var pause: @Sendable (Double) async -> Void = { try? await Task.sleep(for: .seconds($0)) }

    struct Answer: Sendable {
        let status: Int
        let json: JSONValue?

        /// Google's `error.errors[0].reason` (`fullSyncRequired`, `conditionNotMet`, `duplicate`, ...).
        var reason: String? { json?["error"]?["errors"]?.arrayValue?.first?["reason"]?.stringValue }
        var message: String { json?["error"]?["message"]?.stringValue ?? "no message" }
    }

    /// `path` below the base, its segments already escaped (`GoogleCalendarAPI.segment`).
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil, ifMatch: String? = nil,
              token: String) async throws(GoogleCalendarError) -> Answer {
        var headers: HTTPHeaders = ["authorization": "Bearer \(token)", "accept": "application/json"]
        if body != nil { headers["content-type"] = "application/json" }
        if let ifMatch { headers["if-match"] = ifMatch }
        let url = base + path + (query.isEmpty ? "" : "?" + FormEncoding.encode(query))
        var request = OutboundRequest(method: method, url: url, headers: headers, body: body?.jsonBytes ?? [], timeoutMilliseconds: 30_000)
        // An insert carries its own id, so sending it twice answers 409 instead of making two.
        request.resendable = true
        var attempt = 0
        while true {
            let answer: Answer
            do {
                let response = try await outbound.fetch(request)
                answer = Answer(status: response.status, json: response.body.isEmpty ? nil : try? JSONValue(jsonBytes: response.body))
            } catch {
                guard attempt < backoff.count else { throw .unreachable("\(error)") }
                await pause(backoff[attempt])
                attempt += 1
                continue
            }
            let limited = answer.status == 429 || (answer.status == 403 && ["rateLimitExceeded", "userRateLimitExceeded"].contains(answer.reason ?? ""))
            guard (limited || answer.status >= 500) && attempt < backoff.count else { return answer }
            await pause(backoff[attempt])
            attempt += 1
        }
    }

    /// A path segment (calendar ids hold `@` and `#`).
    static func segment(_ text: String) -> String {
        FormEncoding.escape(text)
    }
}
