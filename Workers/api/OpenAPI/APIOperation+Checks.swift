import OzziRuntime

extension APIOperation {
    /// Runs `handler` once the request's parameters and body match this operation's schemas: the checks the
    /// document promises, made by the same values it prints. A JSON body is parsed once; the handler's
    /// `JSONBody(request)` reads the parsed value.
    func checked(_ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        for parameter in parameters { try parameter.validate(request) }
        switch body {
        case .json(let schema, let optional)?:
            if request.body.isEmpty, optional { return try await handler() }
            try Self.requireMediaType("application/json", of: request)
            let value = try JSONBody.parse(request.body)
            try schema.validate(value, at: "")
            return try await JSONBody.$validated.withValue(value) { try await handler() }
        case .form(let schema)?:
            try Self.requireMediaType("application/x-www-form-urlencoded", of: request)
            let fields = FormEncoding.parse(request.text).reduce(into: [String: JSONValue]()) { $0[$1.0] = $0[$1.0] ?? .string($1.1) }
            try schema.validate(.object(fields), at: "")
            return try await handler()
        case .csv?, nil:
            // A CSV upload is read as CSV whatever its label: `curl --data-binary @file` calls it a form.
            return try await handler()
        }
    }

    /// A body in another media type is a 415; one without a `Content-Type` is read as the route's own.
    private static func requireMediaType(_ expected: String, of request: Request) throws(APIError) {
        guard let given = request.headers["content-type"] else { return }
        let mediaType = given.prefix { $0 != ";" }.trimmingPrefixAndSuffixSpaces().lowercased()
        guard mediaType == expected || (expected == "application/json" && mediaType.hasSuffix("+json")) else {
            throw APIError(status: 415, code: "unsupported_media_type", message: "the body must be \(expected); got \(mediaType)",
                           headers: ["accept": expected])
        }
    }
}
