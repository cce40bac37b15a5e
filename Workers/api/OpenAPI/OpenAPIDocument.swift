import OzziRuntime

/// The OpenAPI 3.1 document of the api worker, generated from the same registrations that build its
/// router and check its requests, so it cannot list a route the worker does not serve, miss one it does,
/// or promise a rule the server does not keep.
enum OpenAPIDocument {
    static func build(_ operations: [APIOperation]) -> JSONValue {
        var renderer = SchemaRenderer()
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            let path = openAPIPath(operation.path)
            paths[path, default: [:]][operation.method.lowercased()] = self.operation(operation, links: links(to: operation, in: operations),
                                                                                      renderer: &renderer)
        }
        var schemas = renderer.components
        schemas["APIError"] = errorSchema
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Ozzi Edge API", "version": "1",
                "description": """
                    JSON over /api/v1 with snake_case keys. Lists answer {"data": [...], "next_cursor": ...}: pass next_cursor \
                    back as ?cursor= for the next page. Creating POSTs take an Idempotency-Key. Errors answer \
                    {"error": {"code", "message", "details"}} with a 4xx status naming the field at fault. \
                    No text the api takes may hold U+0000 (NUL): a string or key of a JSON body, a form field, a query or \
                    path parameter or a CSV cell that does is refused with a 4xx naming it (422; 400 for a CSV line), on \
                    every storage engine. Other control characters (tab, line breaks) are kept as sent.
                    """,
            ]),
            "tags": .array(Set(operations.map(\.tag)).sorted().map { .object(["name": .string($0)]) }),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object(["type": "http", "scheme": "bearer", "description": "An access token (oat_...) or an API key (ozk_live_...)"]),
                    "cookie": .object(["type": "apiKey", "in": "cookie", "name": "ozzi_access"]),
                    "portalBearer": .object(["type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                             "description": "A client-portal access token (an EdDSA JWT from /api/v1/client-portal/sessions); never a workspace credential"]),
                ].merging(Set(operations.compactMap(\.signatureHeader)).map { header in
                    (signatureScheme(header), JSONValue.object(["type": "apiKey", "in": "header", "name": .string(header),
                                                               "description": "A signature of the request by its sender"]))
                }) { old, _ in old }),
                "schemas": .object(schemas),
                "responses": .object(Dictionary(uniqueKeysWithValues: errorResponses.map { ($0.name, $0.response) })),
            ]),
        ])
    }

    /// `X-Twilio-Signature` -> `twilioSignature`.
    static func signatureScheme(_ header: String) -> String {
        let words = header.split(separator: "-").filter { $0 != "X" }
        return words.enumerated().map { $0 == 0 ? $1.lowercased() : $1.prefix(1).uppercased() + $1.dropFirst().lowercased() }.joined()
    }

    /// `/workspaces/:id` -> `/workspaces/{id}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    /// What generated clients name the operation's method: `listContacts`, `createContact`, `getMessage`,
    /// `updateGroup`, `deleteTemplate`, `listGroupMembers`; otherwise the method and the path's words
    /// (`postAuthSignup`). Path words after /api/v1 only, so ids survive a version prefix.
    static func operationID(_ operation: APIOperation) -> String {
        let segments = openAPIPath(operation.path).split(separator: "/").dropFirst(2)
        let endsInParameter = segments.last?.hasPrefix("{") == true
        let words = segments.filter { !$0.hasPrefix("{") }.map(String.init)
        guard let last = words.last else { return operation.method.lowercased() }
        let context = words.dropLast().map(singular)
        let plural = last.hasSuffix("s") && !last.hasSuffix("ss") && !last.hasSuffix("ous")
        let (verb, noun, named): (String, String, Bool) = switch (operation.method, endsInParameter) {
        case ("GET", false) where plural && operation.parameters.contains(where: { $0.name == "cursor" }): ("list", last, true)
        case ("POST", false) where plural && operation.success == 201: ("create", singular(last), true)
        case ("GET", true) where plural: ("get", singular(last), true)
        case ("PATCH", true) where plural: ("update", singular(last), true)
        case ("DELETE", true) where plural: ("delete", singular(last), true)
        default: (operation.method.lowercased(), ([last] + (endsInParameter ? ["by", "id"] : [])).joined(separator: "-"), false)
        }
        let parts = (named ? Array(context) : Array(words.dropLast())) + [noun]
        return verb + parts.flatMap { $0.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }) }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func singular(_ word: String) -> String {
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") { return String(word.dropLast(2)) }
        return word.hasSuffix("s") ? String(word.dropLast()) : word
    }

    private static func operation(_ operation: APIOperation, links: [String: JSONValue], renderer: inout SchemaRenderer) -> JSONValue {
        var object: [String: JSONValue] = [
            "summary": .string(operation.summary),
            "description": .string(description(operation)),
            "tags": .array([.string(operation.tag)]),
            "operationId": .string(operationID(operation)),
        ]
        var parameters: [JSONValue] = operation.pathParameters.map { name in
            .object(["name": .string(name), "in": "path", "required": true, "description": .string("The \(name.replacing("Id", with: " id"))"),
                     "schema": .object(["type": "string", "minLength": 1, "maxLength": 64]), "example": "con_01jd0000000000000000000000"])
        }
        for parameter in operation.parameters {
            var rendered: [String: JSONValue] = [
                "name": .string(parameter.name), "in": .string(parameter.location.rawValue), "required": .bool(parameter.required),
                "description": .string(parameter.description), "schema": renderer.render(parameter.schema),
            ]
            if let example = parameter.schema.example { rendered["example"] = example }
            parameters.append(.object(rendered))
        }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if operation.portal {
            object["security"] = .array([.object(["portalBearer": .array([])])])
        } else if operation.authenticated {
            object["security"] = .array([.object(["bearer": .array([])]), .object(["cookie": .array([])])])
        } else if let header = operation.signatureHeader {
            object["security"] = .array([.object([.init(signatureScheme(header)): .array([])])])
        } else {
            object["security"] = .array([])
        }
        if let body = operation.body { object["requestBody"] = requestBody(body, renderer: &renderer) }

        var responses: [String: JSONValue] = [String(operation.success): success(operation, links: links, renderer: &renderer)]
        // A redirect that may answer JSON instead (`?format=json`) does so with a 200 of its own.
        if case .redirect(let json?) = operation.answer {
            responses["200"] = .object(["description": "Success", "content": .object(["application/json": .object([
                "schema": renderer.render(json), "example": json.exampleValue])])])
        }
        if case .file(let mediaTypes) = operation.answer {
            responses["206"] = .object(["description": "The byte range the Range header asked for", "content": fileContent(mediaTypes),
                                        "headers": .object(["Content-Range": .object(["description": "bytes first-last/size",
                                                                                      "schema": .object(["type": "string"])])])])
            responses["304"] = .object(["description": "Not modified: If-None-Match named the file's ETag"])
            responses["416"] = .object(["description": "The range starts past the end of the file",
                                        "headers": .object(["Content-Range": .object(["description": "bytes */size", "schema": .object(["type": "string"])])])])
        }
        if case .webSocket = operation.answer {
            responses["426"] = .object(["description": "Upgrade Required: the route speaks only WebSocket (an Upgrade: websocket request, version 13)"])
        }
        for error in errorResponses where error.applies(operation) {
            responses[String(error.status)] = .object(["$ref": .string("#/components/responses/\(error.name)")])
        }
        object["responses"] = .object(responses)
        return .object(object)
    }

    private static func description(_ operation: APIOperation) -> String {
        var lines = [operation.summary.hasSuffix(".") ? operation.summary : operation.summary + "."]
        if operation.parameters.contains(where: { $0.name == "cursor" }) {
            lines.append("Paged: at most `limit` items; `next_cursor` goes on from the last one.")
        }
        if operation.idempotent { lines.append("Send an `Idempotency-Key` to make retries safe.") }
        lines.append(operation.portal ? "Needs a client-portal access token." : operation.authenticated ? "Needs a bearer token, an API key or the session cookie." : "Needs no credential.")
        return lines.joined(separator: " ")
    }

    private static func requestBody(_ body: APIOperation.RequestBody, renderer: inout SchemaRenderer) -> JSONValue {
        let content: JSONValue
        let required: Bool
        switch body {
        case .json(let schema, let optional):
            content = .object(["schema": renderer.render(schema), "example": schema.exampleValue])
            required = !optional
        case .form(let schema):
            content = .object(["schema": renderer.render(schema), "example": schema.exampleValue])
            required = true
        case .csv(let maxBytes):
            content = .object(["schema": .object(["type": "string", "minLength": 1, "maxLength": .number(Double(maxBytes)),
                                                  "description": "CSV with a header row, UTF-8; the header names the columns the mapping uses"]),
                               "example": "name,phone,email\nAda Lovelace,+12025550143,ada@example.com\n"])
            required = true
        case .file(let maxBytes):
            content = .object(["schema": .object(["type": "string", "format": "binary", "minLength": 1, "maxLength": .number(Double(maxBytes)),
                                                  "description": "The file's bytes; send its media type as Content-Type (any type is taken)"]),
                               "example": "%PDF-1.7"])
            required = true
        }
        return .object(["required": .bool(required), "content": .object([body.mediaType: content])])
    }

    private static func success(_ operation: APIOperation, links: [String: JSONValue], renderer: inout SchemaRenderer) -> JSONValue {
        var response: [String: JSONValue] = [
            "description": [201: "Created", 204: "No content", 302: "Redirect"][operation.success] ?? "Success"]
        switch operation.answer {
        case .json(let schema):
            response["content"] = .object(["application/json": .object(["schema": renderer.render(schema), "example": schema.exampleValue])])
        case .empty:
            break
        case .csv(let columns):
            response["content"] = .object(["text/csv": .object(["schema": .object(["type": "string"]),
                                                                 "example": .string(columns.joined(separator: ",") + "\n")])])
        case .events:
            // In OpenAPI 3.1 an event stream's schema describes each event, as EventSource hands it over.
            response["content"] = .object(["text/event-stream": .object([
                "schema": .object([
                    "type": "object", "required": ["event", "data"],
                    "description": "One Server-Sent Event: an id, the event's type and a JSON data line per change",
                    "properties": .object([
                        "id": .object(["type": "string", "description": "Send back as Last-Event-ID to resume after it"]),
                        "event": .object(["type": "string", "description": "The change's type (contact.created, message.status, ...)"]),
                        "data": .object(["type": "string", "contentMediaType": "application/json"]),
                        "retry": .object(["type": "integer", "minimum": 0, "description": "Milliseconds to wait before reconnecting"]),
                    ]),
                ]),
                "example": "id: 42\nevent: contact.created\ndata: {\"id\":\"con_01jd0000000000000000000000\"}\n\n"])])
        case .html:
            response["content"] = .object(["text/html": .object(["schema": .object(["type": "string"])])])
        case .text(let mediaType):
            response["content"] = .object([mediaType: .object(["schema": .object(["type": "string"])])])
        case .redirect:
            response["headers"] = .object(["Location": .object(["description": "Where to go", "schema": .object(["type": "string"])])])
        case .webSocket:
            response["description"] = "Switching Protocols: a WebSocket of JSON text messages (a request without the upgrade gets 426)"
            response["headers"] = .object(["Upgrade": .object(["description": "websocket", "schema": .object(["type": "string"])])])
        case .file(let mediaTypes):
            response["content"] = fileContent(mediaTypes)
            response["headers"] = .object([
                "Accept-Ranges": .object(["description": "bytes: a Range header gets part of the file", "schema": .object(["type": "string"])]),
                "ETag": .object(["description": "For If-None-Match and If-Range", "schema": .object(["type": "string"])]),
            ])
        }
        if !links.isEmpty { response["links"] = .object(links) }
        return .object(response)
    }

    private static func fileContent(_ mediaTypes: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: mediaTypes.map { ($0, JSONValue.object(["schema": .object(["type": "string", "format": "binary"])])) }))
    }

    /// A create (`POST /things` answering an object with an `id`) links to what takes that id
    /// (`/things/{id}` and below), so a client — or a stateful fuzzer — can walk from one to the other.
    private static func links(to operation: APIOperation, in operations: [APIOperation]) -> [String: JSONValue] {
        guard operation.method == "POST", operation.success == 201, case .json(let schema) = operation.answer,
              schema.shape?.properties.contains(where: { $0.name == "id" }) == true else { return [:] }
        var links: [String: JSONValue] = [:]
        for target in operations where target.path.hasPrefix(operation.path + "/:") {
            let rest = target.path.dropFirst(operation.path.count + 1)
            let parameter = rest.prefix { $0 != "/" }.dropFirst()
            guard target.pathParameters.count == operation.pathParameters.count + 1 else { continue }
            var parameters: [String: JSONValue] = [String(parameter): "$response.body#/id"]
            for inherited in operation.pathParameters { parameters[inherited] = .string("$request.path.\(inherited)") }
            let id = operationID(target)
            links[id.prefix(1).uppercased() + id.dropFirst()] = .object(["operationId": .string(id), "parameters": .object(parameters)])
        }
        return links
    }

    private static let errorSchema: JSONValue = .object([
        "type": "object", "required": .array(["error"]),
        "properties": .object(["error": .object([
            "type": "object", "required": .array(["code", "message"]),
            "properties": .object([
                "code": .object(["type": "string", "description": "Stable, for programs: invalid_field, not_found, conflict, ..."]),
                "message": .object(["type": "string", "description": "For people: what is wrong and how to fix it"]),
                "details": .object(["description": "More about it, such as the field at fault"]),
            ]),
        ])]),
    ])

    /// The error answers, and which operations can give each.
    private struct ErrorResponse {
        let status: Int
        let name: String
        let description: String
        let code: String
        var headers: [String: JSONValue] = [:]
        let applies: @Sendable (APIOperation) -> Bool

        var response: JSONValue {
            var object: [String: JSONValue] = [
                "description": .string(description),
                "content": .object(["application/json": .object([
                    "schema": .object(["$ref": "#/components/schemas/APIError"]),
                    "example": .object(["error": .object(["code": .string(code), "message": .string(description)])]),
                ])]),
            ]
            if !headers.isEmpty { object["headers"] = .object(headers) }
            return .object(object)
        }
    }

    private static let errorResponses: [ErrorResponse] = [
        ErrorResponse(status: 400, name: "BadRequest", description: "The request is malformed: a body that is not JSON, a bad header",
                      code: "bad_request") { _ in true },
        ErrorResponse(status: 401, name: "Unauthorized", description: "No valid credential", code: "unauthorized") { $0.authenticated || ["auth", "client-portal"].contains($0.tag) || $0.signatureHeader != nil },
        ErrorResponse(status: 403, name: "Forbidden", description: "The credential may not do this", code: "forbidden") { $0.authenticated || ["auth", "client-portal"].contains($0.tag) || $0.signatureHeader != nil },
        ErrorResponse(status: 404, name: "NotFound", description: "No such object in the caller's workspace", code: "not_found") { _ in true },
        ErrorResponse(status: 409, name: "Conflict", description: "The request conflicts with the state of things: a unique field taken, a message no longer pending, a workspace not set up for this",
                      code: "conflict") { _ in true },
        ErrorResponse(status: 412, name: "PreconditionFailed", description: "If-Match named another version: it changed since it was read",
                      code: "precondition_failed") { $0.parameters.contains { $0.name == "If-Match" } },
        ErrorResponse(status: 413, name: "PayloadTooLarge", description: "The body is larger than the route takes",
                      code: "payload_too_large") { $0.body != nil },
        ErrorResponse(status: 415, name: "UnsupportedMediaType", description: "The body is not in the route's media type",
                      code: "unsupported_media_type") { $0.body.map { !$0.isRaw } ?? false },
        ErrorResponse(status: 422, name: "InvalidField", description: "A field or parameter breaks a rule; details.field names it",
                      code: "invalid_field") { _ in true },
        ErrorResponse(status: 429, name: "RateLimited", description: "Too many requests; retry after Retry-After seconds", code: "rate_limited",
                      headers: ["Retry-After": .object(["description": "Seconds to wait", "schema": .object(["type": "integer", "minimum": 1])])]) { _ in true },
    ]
}
