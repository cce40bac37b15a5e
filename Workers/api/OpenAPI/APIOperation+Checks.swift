import OzziRuntime

extension APIOperation {
    /// Runs `handler` once the request's parameters and body match this operation's schemas: the checks the
    /// document promises, made by the same values it prints. A JSON body is parsed once; the handler's
    /// `JSONBody(request)` reads the parsed value.
    func checked(_ request: Request, pathParameters: [String: String], _ handler: () async throws -> Response) async throws -> Response {
        // A signed route's signature stands where a credential would: missing, it is refused before anything else.
        if let signatureHeader, request.headers[signatureHeader.lowercased()]?.isEmpty ?? true {
            throw APIError.forbidden("the \(signatureHeader) header is missing")
        }
        // Text the handler may store or query by: no NUL in any of it (`TextInput`), declared or not.
        for (name, value) in pathParameters.sorted(by: { $0.key < $1.key }) where TextInput.hasNUL(value) {
            throw APIError.invalidField(name, TextInput.rule)
        }
        let pairs = request.query.map(FormEncoding.parse) ?? []
        try TextInput.check(pairs, in: "query")
        if !parameters.isEmpty {
            // The query string read once for all of them, not once per parameter.
            let query = FormEncoding.firstValues(pairs)
            for parameter in parameters {
                try parameter.validate(parameter.location == .query ? query[parameter.name] : request.headers[parameter.name.lowercased()])
            }
        }
        switch body {
        case .json(let schema, let optional)?:
            if request.body.isEmpty, optional { return try await handler() }
            try Self.requireMediaType("application/json", of: request)
            let value = try JSONBody.parse(request)
            try schema.validate(value, at: "")
            return try await JSONBody.$validated.withValue(value) { try await handler() }
        case .form(let schema)?:
            // Unlabelled, a body is not a form: nothing says how its bytes are fields.
            try Self.requireMediaType("application/x-www-form-urlencoded", of: request, labelled: true)
            let fields = FormEncoding.parse(request.text)
            try TextInput.check(fields, in: "body")
            try schema.validate(.object(FormEncoding.firstValues(fields).mapValues(JSONValue.string)), at: "")
            return try await handler()
        case .csv?, .file?, nil:
            // A CSV upload is read as CSV whatever its label: `curl --data-binary @file` calls it a form. A
            // file's label is its media type.
            return try await handler()
        }
    }

    /// A body in another media type is a 415; one without a `Content-Type` is read as the route's own,
    /// unless it must be `labelled`.
    private static func requireMediaType(_ expected: String, of request: Request, labelled: Bool = false) throws(APIError) {
        guard let given = request.headers["content-type"] else {
            if labelled {
                throw APIError(status: 415, code: "unsupported_media_type", message: "the body must be \(expected); it has no Content-Type",
                               headers: ["accept": expected])
            }
            return
        }
        let mediaType = given.prefix { $0 != ";" }.trimmingPrefixAndSuffixSpaces().lowercased()
        guard mediaType == expected || (expected == "application/json" && mediaType.hasSuffix("+json")) else {
            throw APIError(status: 415, code: "unsupported_media_type", message: "the body must be \(expected); got \(mediaType)",
                           headers: ["accept": expected])
        }
    }
}
