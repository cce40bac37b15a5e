import OzziRuntime

/// Serper's Maps search through outbound fetch: `POST {base}/maps` with `X-API-KEY` and
/// `{"q", "ll": "@lat,lng,{zoom}z", "page"}`. A 429, a 5xx or a failed connection is retried once (after
/// `Retry-After`, at most 5 s, else 1 s); a 401 or 403 never is (the key is wrong: every search would fail).
struct SerperMapsClient: MapsSearchProvider {
    let name = "serper"
    /// `https://google.serper.dev` unless configured (`SERPER_API_BASE`), so tests can point it at a stub.
    let baseURL: String
    let apiKey: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int
    /// What waiting for a retry does: sleeping, unless a test says otherwise.
    var pause: @Sendable (Double) async -> Void = { try? await Task.sleep(for: .seconds($0)) }

    func search(_ query: MapsQuery) async throws -> [MapsPlace] {
        let body: JSONValue = ["q": .string(query.keyword), "ll": .string(query.ll), "page": .number(Double(query.page))]
        let request = OutboundRequest(method: "POST", url: baseURL + "/maps",
                                      headers: ["x-api-key": apiKey, "content-type": "application/json", "accept": "application/json"],
                                      body: body.jsonBytes, timeoutMilliseconds: timeoutMilliseconds)
        var attempt = 0
        while true {
            attempt += 1
            let retryAfter: Double
            do {
                let response = try await outbound.fetch(request)
                switch response.status {
                case 200..<300:
                    return try Self.places(response.body)
                case 401, 403:
                    throw MapsSearchError.refused("Serper refused the API key (\(response.status))")
                case 429, 500...599:
                    guard attempt == 1 else { throw MapsSearchError.failed("Serper answered \(response.status) twice") }
                    retryAfter = min(5, response.headers["retry-after"].flatMap(Double.init) ?? 1)
                default:
                    throw MapsSearchError.failed("Serper answered \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
                }
            } catch let error as OutboundError {
                guard attempt == 1 else { throw MapsSearchError.failed("Serper could not be reached: \(error)") }
                retryAfter = 1
            }
            await pause(retryAfter)
        }
    }

    /// The `places` of an answer, in position order.
    static func places(_ body: [UInt8]) throws -> [MapsPlace] {
        guard let json = try? JSONValue(jsonBytes: body), let rows = json["places"]?.arrayValue else {
            throw MapsSearchError.failed("Serper's answer has no places array")
        }
        return rows.compactMap { row in
            guard let title = row["title"]?.stringValue, let position = row["position"]?.numberValue else { return nil }
            // cid comes as a string, now and then as a number.
            let cid = row["cid"]?.stringValue ?? row["cid"]?.numberValue.map { String(format: "%.0f", $0) }
            return MapsPlace(position: Int(position), title: title, cid: cid, placeID: row["placeId"]?.stringValue,
                             rating: row["rating"]?.numberValue, reviews: row["ratingCount"]?.numberValue.map { Int($0) })
        }.sorted { $0.position < $1.position }
    }
}
