import OzziRuntime

/// `/api/v1/webhook-endpoints`: register URLs for events, see each delivery, re-enable after a disable.
extension RouteGroup {
    func addWebhookRoutes(_ s: WebhooksDomain) {
        authed("POST", "", "Register a URL for events (event_types, or [\"*\"]); the answer holds its signing secret once",
               tag: "webhooks", body: .json(.object([.required("url", .string()), .optional("event_types", .array(.any)), .optional("description", .string())])), success: 201,
               creates: true) { request, _, principal in
            try principal.require(.admin, to: "manage webhook endpoints")
            let body = try JSONBody(request)
            let url = try body.requiredString("url", max: 2048)
            try await s.webhooks.checkTarget(url)
            let endpoint = try await s.webhooks.store.create(principal.scope, url: url, eventTypes: try Self.eventTypes(body, known: s.eventTypes) ?? ["*"],
                                                            description: try body.string("description", max: 200) ?? "")
            s.webhooks.invalidate(principal.scope)
            return .json(endpoint, status: 201)
        }

        authed("GET", "", "The workspace's webhook endpoints", tag: "webhooks") { _, _, principal in
            .json(["data": try await s.webhooks.store.list(principal.scope), "next_cursor": nil] as [String: [WebhookEndpoint]?])
        }

        authed("GET", "/:id", "One endpoint with its recent deliveries (?limit=)", tag: "webhooks") { request, context, principal in
            guard let endpoint = try await s.webhooks.store.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("webhook endpoint") }
            let limit = min(100, max(1, Int(request.queryParameter("limit") ?? "20") ?? 20))
            let deliveries = try await s.webhooks.store.deliveries(principal.scope, endpointID: endpoint.id, limit: limit)
            return .json(EndpointWithDeliveries(endpoint: endpoint, deliveries: deliveries))
        }

        authed("PATCH", "/:id", "Change url, event_types, description, or set active (true re-enables)",
               tag: "webhooks", body: .json(.object([.optional("url", .string()), .optional("event_types", .array(.any)), .optional("description", .string()), .optional("active", .boolean)]))) { request, context, principal in
            try principal.require(.admin, to: "manage webhook endpoints")
            let id = context.parameter("id")
            guard try await s.webhooks.store.get(principal.scope, id: id) != nil else { throw APIError.notFound("webhook endpoint") }
            let body = try JSONBody(request)
            let url = try body.string("url", max: 2048)
            if let url { try await s.webhooks.checkTarget(url) }
            let endpoint = try await s.webhooks.store.update(principal.scope, id: id, url: url, eventTypes: try Self.eventTypes(body, known: s.eventTypes),
                                                            description: try body.string("description", max: 200), active: try body.bool("active"))
            s.webhooks.invalidate(principal.scope)
            return .json(endpoint!)
        }

        remove("Remove an endpoint", tag: "webhooks", noun: "webhook endpoint") { principal, id in
            try principal.require(.admin, to: "manage webhook endpoints")
            defer { s.webhooks.invalidate(principal.scope) }
            return try await s.webhooks.store.delete(principal.scope, id: id)
        }
    }

    struct EndpointWithDeliveries: Encodable {
        let endpoint: WebhookEndpoint
        let deliveries: [WebhookDelivery]
    }

    static func eventTypes(_ body: JSONBody, known: [String]) throws -> [String]? {
        guard let value = body.fields["event_types"], value != .null else { return nil }
        guard let items = value.arrayValue, !items.isEmpty else { throw APIError.invalidField("event_types", "must be a non-empty array") }
        return try items.map { item in
            guard let type = item.stringValue, type == "*" || known.contains(type) else {
                throw APIError.invalidField("event_types", "each is * or one of \(known.joined(separator: ", "))")
            }
            return type
        }
    }
}
