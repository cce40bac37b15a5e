import OzziRuntime

/// `/api/v1/api-keys`: keys of the caller's workspace.
extension RouteGroup {
    func addAPIKeyRoutes(_ s: APIKeysDomain) {
        list("", "List the workspace's API keys", tag: "api-keys", of: .model(APIKey.self), key: \.id) { _, _, principal, page in
            try await s.apiKeys.list(principal.scope, page: page)
        }

        authed("POST", "", "Create an API key; its secret is answered once, as `key`", tag: "api-keys",
               body: .json(.object([.required("name", Self.keyName)])), answers: .json(.model(CreatedKey.self)), success: 201,
               creates: true) { request, _, principal in
            try principal.require(.admin, to: "create API keys")
            let name = try JSONBody(request).requiredString("name", max: 100)
            let (key, secret) = try await s.apiKeys.create(principal.scope, name: name, createdBy: principal.userID)
            await s.audit.record("api_key_created", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["api_key_id": .string(key.id), "name": .string(name)])
            return .json(CreatedKey(apiKey: key, key: secret), status: 201)
        }

        one("One API key", tag: "api-keys", noun: "API key", answers: .model(APIKey.self)) { try await s.apiKeys.get($0, id: $1) }

        authed("PATCH", "/:id", "Rename, disable (active: false) or enable a key", tag: "api-keys",
               body: .json(.object([.optional("name", Self.keyName), .optional("active", .boolean)], atLeastOne: [["name", "active"]])),
               answers: .json(.model(APIKey.self))) { request, context, principal in
            try principal.require(.admin, to: "change API keys")
            // The schema asks for at least one of them, neither null.
            let body = try JSONBody(request)
            let name = try body.string("name", max: 100)
            let active = try body.bool("active")
            guard let key = try await s.apiKeys.update(principal.scope, id: context.parameter("id"), name: name, active: active) else {
                throw APIError.notFound("API key")
            }
            if let active {
                await s.audit.record(active ? "api_key_enabled" : "api_key_disabled", workspace: principal.workspace.id, user: principal.userID,
                                     ip: request.clientIP, details: ["api_key_id": .string(key.id)])
            }
            return .json(key)
        }

        authed("DELETE", "/:id", "Delete an API key", tag: "api-keys", answers: .empty, success: 204) { request, context, principal in
            try principal.require(.admin, to: "delete API keys")
            guard try await s.apiKeys.delete(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("API key") }
            await s.audit.record("api_key_deleted", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["api_key_id": .string(context.parameter("id"))])
            return Response(status: 204)
        }
    }

    private static let keyName = Schema.text(max: 100).example("Zapier")

    /// A new key's fields plus its secret, `key`, in one object.
    struct CreatedKey: Encodable {
        let apiKey: APIKey
        let key: String

        func encode(to encoder: Encoder) throws {
            try apiKey.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
        }

        enum CodingKeys: String, CodingKey { case key }
    }
}
