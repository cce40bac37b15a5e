import OzziRuntime

/// `/api/v1/seo/trackers`: a business's keywords over a grid, on a schedule; scans on demand; trends.
extension RouteGroup {
    func addSEOTrackerRoutes(_ s: LocalSEODomain) {
        list("", "Trackers by id", tag: "seo", of: .model(SEOTracker.self),
             filters: [.query("business_id", Schema.string(min: 1, max: 64), "Only this business's")], key: \.id) { request, _, principal, page in
            try await s.trackers.list(principal.scope, businessID: request.queryParameter("business_id"), page: page)
        }

        authed("POST", "", "Track a business's keywords over an N x N grid around it (N odd, 3-21), scanned daily, weekly or monthly at 06:00 UTC, or on demand",
               tag: "seo", body: .json(SEOTracker.input(creating: true)), answers: .json(.model(SEOTracker.self)), success: 201, creates: true) { request, _, principal in
            .json(try await s.trackers.create(principal.scope, try SEOTrackerStore.Input(request, creating: true)), status: 201)
        }

        one("One tracker", tag: "seo", noun: "tracker", answers: .model(SEOTracker.self)) { try await s.trackers.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a tracker's keywords, grid or schedule (scans made before keep theirs)", tag: "seo",
               body: .json(SEOTracker.input(creating: false)), answers: .json(.model(SEOTracker.self))) { request, context, principal in
            guard let tracker = try await s.trackers.update(principal.scope, id: context.parameter("id"), try SEOTrackerStore.Input(request, creating: false)) else {
                throw APIError.notFound("tracker")
            }
            return .json(tracker)
        }

        remove("Delete a tracker with its scans", tag: "seo", noun: "tracker") { principal, id in
            try await s.trackers.delete(principal.scope, id: id)
        }

        authed("POST", "/:id/scans", "Scan now: every keyword at every grid point, in the background (follow it at GET /seo/scans/{id})", tag: "seo",
               answers: .json(.model(SEOScan.self)), success: 202) { _, context, principal in
            guard let tracker = try await s.trackers.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("tracker") }
            guard let scan = try await s.scans.start(principal.scope, tracker) else { throw APIError.notFound("tracker") }
            return .json(scan, status: 202)
        }

        authed("GET", "/:id/trends", "A keyword's metrics over the tracker's finished scans, oldest first. " + RankMetrics.described, tag: "seo",
               query: [.query("keyword", Schema.string(min: 1, max: 100), required: true, "The keyword"),
                       .query("limit", Schema.string(max: 3, pattern: "^(?:[1-9][0-9]?|[1-2][0-9][0-9]|300)$"), "The latest this many scans (1-300, default 90)")],
               answers: .json(.object([.required("data", .array(.model(TrendPoint.self)))], closed: true))) { request, context, principal in
            guard try await s.trackers.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("tracker") }
            let trend = try await s.scans.trend(principal.scope, trackerID: context.parameter("id"), keyword: request.queryParameter("keyword") ?? "",
                                                limit: Int(request.queryParameter("limit") ?? "90") ?? 90)
            return .json(["data": try JSONValueEncoder.encode(trend)] as JSONValue)
        }
    }
}
