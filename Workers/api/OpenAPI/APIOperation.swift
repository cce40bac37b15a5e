import OzziRuntime

/// One route as the document publishes it and as `APIRoutes` enforces it: its body and parameters are
/// validated against these schemas before the handler runs.
struct APIOperation: Sendable {
    let method: String
    let path: String
    let summary: String
    let tag: String
    let authenticated: Bool
    let body: RequestBody?
    let parameters: [Parameter]
    let success: Int
    let answer: Answer
    /// Creating POSTs honour `Idempotency-Key`.
    let idempotent: Bool
    /// An open route that its caller signs instead (`X-Twilio-Signature`): the header the handler checks.
    var signatureHeader: String? = nil
    /// A client-portal route: authenticated by a portal access token, not a workspace credential.
    var portal = false

    /// What a route reads from its body.
    enum RequestBody: Sendable {
        /// A JSON value; `optional` when an absent body counts as `{}`.
        case json(Schema, optional: Bool = false)
        /// `application/x-www-form-urlencoded` fields (Twilio's webhooks).
        case form(Schema)
        /// A CSV file, streamed (`text/csv`), up to `maxBytes`.
        case csv(maxBytes: Int)
        /// Any file, streamed, up to `maxBytes`; its `Content-Type` says what it is.
        case file(maxBytes: Int)

        var mediaType: String {
            switch self {
            case .json: "application/json"
            case .form: "application/x-www-form-urlencoded"
            case .csv: "text/csv"
            case .file: "application/octet-stream"
            }
        }

        /// Streamed bytes, read whatever their label (no 415).
        var isRaw: Bool {
            switch self {
            case .csv, .file: true
            case .json, .form: false
            }
        }
    }

    /// What a route answers on success.
    enum Answer: Sendable {
        case json(Schema)
        /// 204, or a redirect: no body.
        case empty
        case csv(columns: [String])
        /// Server-Sent Events.
        case events
        case html
        /// `application/xml` for Twilio (TwiML) and the like.
        case text(mediaType: String)
        /// A 302 to `Location` (`?format=json` and the like may answer JSON instead).
        case redirect(orJSON: Schema?)
        /// A stored file (a call's recording) served for players: 200 whole, 206 for one `Range`, 304 for
        /// an `If-None-Match` that holds, 416 past the end (`BucketDownload`).
        case file(mediaTypes: [String])
        /// 101: a WebSocket (a request without the upgrade gets 426).
        case webSocket
    }

    /// Every query and header parameter, checked before the handler runs; path parameters come from the path.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}

/// A query or header parameter: documented and checked from the same value.
struct Parameter: Sendable {
    enum Location: String, Sendable { case query, header }

    let name: String
    let location: Location
    let schema: Schema
    let required: Bool
    let description: String

    static func query(_ name: String, _ schema: Schema, required: Bool = false, _ description: String) -> Parameter {
        Parameter(name: name, location: .query, schema: schema, required: required, description: description)
    }

    static func header(_ name: String, _ schema: Schema, required: Bool = false, _ description: String) -> Parameter {
        Parameter(name: name, location: .header, schema: schema, required: required, description: description)
    }

    /// A 422 naming the parameter unless the request's value (`text`, if any) matches the schema. Query
    /// values are text: integers and booleans are read from it first.
    func validate(_ text: String?) throws(APIError) {
        guard let text else {
            if required { throw APIError.invalidField(name, "is required") }
            return
        }
        switch schema.resolved.kind {
        case .integer:
            guard let number = Int(text) else { throw APIError.invalidField(name, "must be an integer") }
            try schema.validate(.number(Double(number)), at: name)
        case .number:
            guard let number = Double(text), number.isFinite else { throw APIError.invalidField(name, "must be a number") }
            try schema.validate(.number(number), at: name)
        case .boolean:
            guard text == "true" || text == "false" else { throw APIError.invalidField(name, "must be true or false") }
        default:
            try schema.validate(.string(text), at: name)
        }
    }

    /// `Idempotency-Key` on creating POSTs: visible ASCII, as header values travel, 1-255 bytes.
    static let idempotencyKey = Parameter.header(
        "Idempotency-Key", .string(min: 1, max: 255, pattern: "^[!-~]+$").example("order-1234"),
        "Replays the first answer to a retried create for 24 hours; the same key with another body is a 409")
}
