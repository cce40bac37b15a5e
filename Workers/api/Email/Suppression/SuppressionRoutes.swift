import OzziRuntime

/// `/api/v1/email/suppressions`: the addresses no email of the workspace goes to.
extension RouteGroup {
    func addSuppressionRoutes(_ s: EmailEngagementDomain) {
        list("", "List suppressed addresses, newest first", tag: "email", of: .model(Suppression.self),
             filters: [.query("reason", .oneOf(SuppressionReason.allCases.map(\.rawValue)), "Only addresses suppressed for this reason")],
             key: { $0.created_at + "\u{1F}" + $0.address }) { request, _, principal, page in
            try await s.suppressions.list(principal.scope, reason: request.queryParameter("reason").flatMap(SuppressionReason.init), page: page)
        }

        authed("GET", "/:address", "Whether an address is suppressed, and why", tag: "email",
               answers: .json(.model(Suppression.self))) { _, context, principal in
            guard let row = try await s.suppressions.get(principal.scope, address: context.parameter("address")) else {
                throw APIError.notFound("suppressed address")
            }
            return .json(row)
        }

        authed("POST", "", "Suppress an address: no email goes to it, and its contacts are opted out of email; an address already "
                + "suppressed is answered as it is (its first reason stays)", tag: "email",
               body: .json(Suppression.input), answers: .json(.model(Suppression.self)), success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            let address = try EmailAddress.normalize(try body.requiredString("address", max: EmailAddress.maxLength), field: "address")
            let reason = try body.choice("reason", SuppressionReason.allCases.map(\.rawValue)).flatMap(SuppressionReason.init) ?? .manual
            return .json(try await s.suppressions.add(principal.scope, address: address, reason: reason), status: 201)
        }

        authed("DELETE", "/:address", "Take an address off the list (its contacts stay opted out until opted in again); owner or admin",
               tag: "email", answers: .empty, success: 204) { _, context, principal in
            try principal.require(.admin, to: "take addresses off the suppression list")
            guard try await s.suppressions.remove(principal.scope, address: context.parameter("address")) else {
                throw APIError.notFound("suppressed address")
            }
            return Response(status: 204)
        }
    }
}
