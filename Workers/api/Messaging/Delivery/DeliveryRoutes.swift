import OzziRuntime

/// `/api/v1/delivery/...` (API keys, for outside delivery services) and the monitoring routes.
extension RouteGroup {
    func addDeliveryRoutes(_ s: MessagingDomain) {
        authed("GET", "/delivery/pending", "Lease due messages (?limit=1..500&lease_seconds=1..3600); an unreported lease returns them",
               tag: "delivery") { request, _, principal in
            try Self.requireAPIKey(principal)
            let limit = Int(request.queryParameter("limit") ?? "100") ?? 0
            guard (1...500).contains(limit) else { throw APIError.invalidField("limit", "must be 1...500") }
            let lease = Int(request.queryParameter("lease_seconds") ?? "60") ?? 0
            guard (1...3600).contains(lease) else { throw APIError.invalidField("lease_seconds", "must be 1...3600") }
            try await Self.requireExternalProvider(principal, s)
            let leased = try await s.external.lease(principal.scope, limit: limit, leaseSeconds: lease)
            s.events.flushSoon()
            return .json(["data": leased])
        }

        authed("POST", "/delivery/:id/status", "Report a leased message's result: status sent|delivered|failed|undelivered",
               tag: "delivery", body: .json(.object([.required("status", .string()), .optional("provider_message_id", .string()), .optional("error_code", .string()), .optional("error_message", .string())]))) { request, context, principal in
            guard try await s.messages.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("message") }
            try Self.requireAPIKey(principal)
            let body = try JSONBody(request)
            guard let text = try body.choice("status", ["sent", "delivered", "failed", "undelivered"]), let status = MessageStatus(rawValue: text) else {
                throw APIError.invalidField("status", "is required")
            }
            let change = try await s.external.report(principal.scope, id: context.parameter("id"), status: status,
                                                     providerID: try body.string("provider_message_id", max: 128),
                                                     errorCode: try body.string("error_code", max: 64), errorMessage: try body.string("error_message", max: 500))
            s.events.flushSoon()
            return .json(try await s.messages.get(principal.scope, id: change.messageID)!)
        }

        authed("GET", "/delivery/stats", "Due, leased and expired-lease counts, and results over 24 hours", tag: "delivery") { _, _, principal in
            try Self.requireAPIKey(principal)
            return .json(try await s.external.stats(principal.scope))
        }

        authed("GET", "/messages/stats", "Workspace delivery stats (?window=1h|24h|7d|30d|all): by status, category, campaign",
               tag: "messages") { request, _, principal in
            .json(try await s.stats.report(principal.scope, window: try MessageStats.window(request)))
        }

        authed("GET", "/admin/delivery/stats",
               "Platform-wide delivery stats: the workspace figures plus due-to-sent latency p50/p99, backlog, failures by code",
               tag: "admin") { request, _, principal in
            try principal.requirePlatformAdmin()
            return .json(try await s.stats.report(nil, window: try MessageStats.window(request)))
        }
    }

    static func requireAPIKey(_ principal: Principal) throws {
        guard principal.apiKeyID != nil else { throw APIError.forbidden("the delivery API takes an API key (Authorization: Bearer ozk_...)") }
    }

    static func requireExternalProvider(_ principal: Principal, _ s: MessagingDomain) async throws {
        let provider = try await s.smsSettings.get(principal.scope).provider
        guard provider == "external" else {
            throw APIError.conflict("the workspace's SMS provider is \(provider); set it to external (PUT /api/v1/sms/settings) to deliver through this API")
        }
    }
}
