import OzziRuntime

/// `/api/v1/seo/scans`: a scan's progress and metrics, its grid, the competitors seen, and its heatmap.
extension RouteGroup {
    func addSEOScanRoutes(_ s: LocalSEODomain) {
        list("", "Scans by id (oldest first)", tag: "seo", of: .model(SEOScan.self),
             filters: [.query("tracker_id", Schema.string(min: 1, max: 64), "Only this tracker's")], key: \.id) { request, _, principal, page in
            try await s.scans.list(principal.scope, trackerID: request.queryParameter("tracker_id"), page: page)
        }

        one("A scan: its status, progress, cost and, once finished, each keyword's metrics. " + RankMetrics.described, tag: "seo", noun: "scan",
            answers: .model(SEOScan.self)) { try await s.scans.get($0, id: $1) }

        let keyword = Parameter.query("keyword", Schema.string(min: 1, max: 100), "The keyword (default: the scan's first)")

        authed("GET", "/:id/points", "The grid for one keyword, row by row (north first): each point's rank and the places that answered", tag: "seo",
               query: [keyword], answers: .json(.object([.required("data", .array(.model(ScanPoint.self)))], closed: true))) { request, context, principal in
            let (scan, word) = try await s.scanAndKeyword(principal, context, request)
            return .json(["data": try JSONValueEncoder.encode(try await s.scans.points(scan, keyword: word))] as JSONValue)
        }

        authed("GET", "/:id/competitors", "The other places seen across the grid for one keyword: at how many points, their average rank, rating and reviews",
               tag: "seo", query: [keyword, .query("limit", Schema.string(max: 2, pattern: "^(?:[1-9]|[1-4][0-9]|50)$"), "At most this many (1-50, default 20)")],
               answers: .json(.object([.required("data", .array(.model(Competitor.self)))], closed: true))) { request, context, principal in
            let (scan, word) = try await s.scanAndKeyword(principal, context, request)
            let competitors = Competitor.tally(try await s.scans.points(scan, keyword: word), excluding: scan.target,
                                               limit: Int(request.queryParameter("limit") ?? "20") ?? 20)
            return .json(["data": try JSONValueEncoder.encode(competitors)] as JSONValue)
        }

        authed("GET", "/:id/heatmap.svg", "The grid for one keyword as an SVG image: each point coloured by rank (green 1-3 to red not found), with the metrics",
               tag: "seo", query: [keyword], answers: .text(mediaType: "image/svg+xml")) { request, context, principal in
            let (scan, word) = try await s.scanAndKeyword(principal, context, request)
            let points = try await s.scans.points(scan, keyword: word)
            let svg = Heatmap.svg(keyword: word, business: scan.target.name, points: points, size: scan.gridSize,
                                  metrics: RankMetrics(ranks: points.filter(\.done).map(\.rank)))
            var response = Response.text(svg)
            response.headers["content-type"] = "image/svg+xml; charset=utf-8"
            response.headers["cache-control"] = scan.status == "finished" ? "private, max-age=86400" : "no-store"
            return response
        }
    }
}

extension LocalSEODomain {
    /// A scan route's scan and the keyword asked (its first by default); 404 for a keyword it did not search.
    func scanAndKeyword(_ principal: Principal, _ context: RequestContext, _ request: Request) async throws -> (SEOScan, String) {
        guard let scan = try await scans.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("scan") }
        let keywords = (scan.settings["keywords"]?.arrayValue ?? []).compactMap(\.stringValue)
        let word = request.queryParameter("keyword") ?? keywords.first ?? ""
        guard keywords.contains(word) else { throw APIError.notFound("keyword '\(word)' in this scan") }
        return (scan, word)
    }
}
