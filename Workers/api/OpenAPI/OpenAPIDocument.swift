import OzziRuntime

/// The OpenAPI 3.1 document of the api worker, generated from the same registrations that build its
/// router, so it cannot list a route the worker does not serve or miss one it does.
enum OpenAPIDocument {
    static func build(_ operations: [APIOperation]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            let path = openAPIPath(operation.path)
            paths[path, default: [:]][operation.method.lowercased()] = self.operation(operation, path: path)
        }
        let errorSchema: JSONValue = .object([
            "type": "object", "required": .array(["error"]),
            "properties": .object(["error": .object([
                "type": "object", "required": .array(["code", "message"]),
                "properties": .object(["code": .object(["type": "string"]), "message": .object(["type": "string"]), "details": .object([:])]),
            ])]),
        ])
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Ozzi Edge API", "version": "1",
                "description": "JSON over /api/v1 with snake_case keys, cursor pagination and Idempotency-Key on creating POSTs.",
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object(["type": "http", "scheme": "bearer", "description": "An access token (oat_...) or an API key (ozk_live_...)"]),
                    "cookie": .object(["type": "apiKey", "in": "cookie", "name": "ozzi_access"]),
                ]),
                "schemas": .object(["Error": errorSchema]),
                "responses": .object(["Error": .object([
                    "description": "An error, naming what is wrong",
                    "content": .object(["application/json": .object(["schema": .object(["$ref": "#/components/schemas/Error"])])]),
                ])]),
            ]),
        ])
    }

    /// `/workspaces/:id` -> `/workspaces/{id}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    private static func operation(_ operation: APIOperation, path: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "summary": .string(operation.summary),
            "tags": .array([.string(operation.tag)]),
            "operationId": .string(operation.method.lowercased() + path.replacingSlashes()),
            "responses": .object([
                String(operation.success): .object(["description": operation.success == 204 ? "No content" : "Success"]),
                "4XX": .object(["$ref": "#/components/responses/Error"]),
            ]),
        ]
        var parameters: [JSONValue] = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            .object(["name": .string(String(segment.dropFirst().dropLast())), "in": "path", "required": true,
                     "schema": .object(["type": "string"])])
        }
        if operation.idempotent {
            parameters.append(.object(["name": "Idempotency-Key", "in": "header", "required": false,
                                       "schema": .object(["type": "string", "maxLength": 255])]))
        }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        object["security"] = operation.authenticated ? .array([.object(["bearer": .array([])]), .object(["cookie": .array([])])]) : .array([])
        if !operation.body.isEmpty {
            let properties = Dictionary(uniqueKeysWithValues: operation.body.map { ($0.name, JSONValue.object(["type": .string($0.type)])) })
            let required = operation.body.filter(\.required).map { JSONValue.string($0.name) }
            object["requestBody"] = .object([
                "required": .bool(!required.isEmpty),
                "content": .object(["application/json": .object(["schema": .object([
                    "type": "object", "properties": .object(properties), "required": .array(required),
                ])])]),
            ])
        }
        return .object(object)
    }
}

extension String {
    fileprivate func replacingSlashes() -> String {
        split(separator: "/").map { $0.replacing("{", with: "").replacing("}", with: "") }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
