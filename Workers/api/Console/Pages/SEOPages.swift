import OzziRuntime

/// Local SEO: the trackers; one tracker's keyword as a heatmap over its grid (the latest finished scan) with
/// its average rank and share of local voice over the scans, and a scan started on demand, followed live.
extension ConsolePages {
    func addSEOPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let seo = console.domains.seo

        get("/console/seo") { _, _, viewer in
            let scope = viewer.principal.scope
            var named: [(SEOTracker, String)] = []
            for tracker in try await seo.trackers.list(scope, businessID: nil, page: PageRequest(limit: 100, after: nil)).prefix(100) {
                named.append((tracker, try await seo.businesses.get(scope, id: tracker.business_id)?.name ?? tracker.business_id))
            }
            return try await shell.page(viewer, title: "Local SEO", section: .seo, SEOViews.list(named))
        }

        get("/console/seo/trackers/:id") { request, context, viewer in
            let scope = viewer.principal.scope
            guard let tracker = try await seo.trackers.get(scope, id: context.parameter("id")) else { throw APIError.notFound("tracker") }
            let scan = SEOViews.scan(try await seo.scans.latest(scope, trackerID: tracker.id))
            if request.queryParameter("part") == SEOViews.scanPart.name { return .html(scan.text) }
            let keyword = request.queryParameter("keyword") ?? tracker.keywords.first ?? ""
            guard tracker.keywords.contains(keyword) else { throw APIError.invalidField("keyword", "is not one of the tracker's keywords") }
            let trend = try await seo.scans.trend(scope, trackerID: tracker.id, keyword: keyword, limit: 90)
            let business = try await seo.businesses.get(scope, id: tracker.business_id)?.name ?? tracker.business_id
            return try await shell.page(viewer, title: business, section: .seo,
                                        SEOViews.tracker(viewer, tracker, business: business, keyword: keyword, trend: trend, scan: scan))
        }

        post("/console/seo/trackers/:id/scans") { _, context, viewer, form in
            let scope = viewer.principal.scope
            guard let tracker = try await seo.trackers.get(scope, id: context.parameter("id")),
                  try await seo.scans.start(scope, tracker) != nil else { throw APIError.notFound("tracker") }
            console.events.flushSoon()
            let keyword = form["keyword"].map { "?keyword=" + FormEncoding.escape($0) } ?? ""
            return ConsoleShell.redirect("/console/seo/trackers/\(tracker.id)\(keyword)")
        }
    }
}
