import OzziRuntime

/// `/api/v1/webhook-endpoints`: register URLs for events, see each delivery, re-enable after a disable.
extension RouteGroup {
    func addWebhookRoutes(_ s: WebhooksDomain) {
        let allowPrivate = s.webhooks.settings.allowPrivate
        authed("POST", "", "Register a URL for events (event_types, or [\"*\"]); the answer holds its signing secret once",
               tag: "webhooks", body: .json(WebhookEndpoint.body(creating: true, eventTypes: s.eventTypes, allowPrivate: allowPrivate)),
               answers: .json(.model(WebhookEndpoint.self)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "manage webhook endpoints")
            let body = try JSONBody(request)
            let url = try body.requiredString("url", max: 2048)
            try await s.webhooks.checkTarget(url)
            let endpoint = try await s.webhooks.store.create(principal.scope, url: url, eventTypes: try Self.eventTypes(body, known: s.eventTypes) ?? ["*"],
                                                            description: try body.string("description", max: 200) ?? "")
            s.webhooks.invalidate(principal.scope)
            return .json(endpoint, status: 201)
        }

        list("", "The workspace's webhook endpoints, oldest first", tag: "webhooks", of: .model(WebhookEndpoint.self),
             key: { Cursor($0.created_at, $0.id).key }) { _, _, principal, page in
            try await s.webhooks.store.list(principal.scope, page: page)
        }

        authed("GET", "/:id", "One endpoint with its latest deliveries (?limit=)", tag: "webhooks", query: [Self.deliveryLimit],
               answers: .json(.model(EndpointWithDeliveries.self))) { request, context, principal in
            guard let endpoint = try await s.webhooks.store.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("webhook endpoint") }
            let limit = request.queryParameter("limit").flatMap { Int($0) } ?? 20
            let deliveries = try await s.webhooks.store.deliveries(principal.scope, endpointID: endpoint.id, limit: limit)
            return .json(EndpointWithDeliveries(endpoint: endpoint, deliveries: deliveries))
        }

        authed("PATCH", "/:id", "Change url, event_types, description, or set active (true re-enables)",
               tag: "webhooks", body: .json(WebhookEndpoint.body(creating: false, eventTypes: s.eventTypes, allowPrivate: allowPrivate)),
               answers: .json(.model(WebhookEndpoint.self))) { request, context, principal in
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

    /// `?limit=` of one endpoint's deliveries: checked before the route runs, like a list's.
    static let deliveryLimit = Parameter.query("limit", .integer(1...100).example(20), "How many of its latest deliveries to answer (default 20)")

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
