import OzziRuntime

/// `/api/v1/seo/businesses`: the places whose rankings are tracked.
extension RouteGroup {
    func addSEOBusinessRoutes(_ s: LocalSEODomain) {
        list("", "Tracked businesses by id", tag: "seo", of: .model(SEOBusiness.self), key: \.id) { _, _, principal, page in
            try await s.businesses.list(principal.scope, page: page)
        }

        authed("POST", "", "Add a business to track: its name, Google place id or cid (results are matched on them), and where it is", tag: "seo",
               body: .json(SEOBusiness.input(creating: true)), answers: .json(.model(SEOBusiness.self)), success: 201, creates: true) { request, _, principal in
            .json(try await s.businesses.create(principal.scope, try SEOBusinessStore.Input(request, creating: true)), status: 201)
        }

        one("One business", tag: "seo", noun: "business", answers: .model(SEOBusiness.self)) { try await s.businesses.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a business", tag: "seo", body: .json(SEOBusiness.input(creating: false)),
               answers: .json(.model(SEOBusiness.self))) { request, context, principal in
            guard let business = try await s.businesses.update(principal.scope, id: context.parameter("id"), try SEOBusinessStore.Input(request, creating: false)) else {
                throw APIError.notFound("business")
            }
            return .json(business)
        }

        remove("Delete a business with its trackers and their scans", tag: "seo", noun: "business") { principal, id in
            try await s.businesses.delete(principal.scope, id: id)
        }
    }
}
