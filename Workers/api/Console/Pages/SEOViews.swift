import OzziRuntime

/// The markup of local SEO: the trackers, and one tracker's keyword on the grid (the latest finished scan's
/// heatmap, drawn by the API) with its trends over the scans.
enum SEOViews {
    static let scanPart = LivePart(name: "scan", events: ["seo.scan_queued", "seo.scan_finished", "seo.scan_failed"])

    static func list(_ trackers: [(SEOTracker, String)]) -> HTML {
        let rows = trackers.map { tracker, business -> HTML in
            """
            <tr><td data-label="Business"><a href="/console/seo/trackers/\(tracker.id)">\(business)</a></td>
            <td data-label="Keywords">\(tracker.keywords.joined(separator: ", "))</td>
            <td data-label="Grid">\(tracker.grid.size) × \(tracker.grid.size), every \(LineChart.text(tracker.grid.spacing)) \(tracker.grid.unit)</td>
            <td data-label="Scans">\(tracker.schedule.frequency)</td></tr>
            """
        }
        return """
            <h1>Local SEO</h1>
            \(trackers.isEmpty ? "<p class=\"panel\">No trackers yet: track a business's keywords through the API (POST /api/v1/seo/trackers).</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Rank trackers</caption>
                <thead><tr><th scope="col">Business</th><th scope="col">Keywords</th><th scope="col">Grid</th><th scope="col">Scans</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
            """
    }

    static func tracker(_ viewer: ConsoleViewer, _ tracker: SEOTracker, business: String, keyword: String, trend: [TrendPoint], scan: HTML) -> HTML {
        let keywords = tracker.keywords.map { word -> HTML in
            "<li><a href=\"/console/seo/trackers/\(tracker.id)?keyword=\(FormEncoding.escape(word))\"\(HTML.when(word == keyword, " aria-current=\"page\""))>\(word)</a></li>"
        }
        let slots = trend.map { String($0.finished_at.prefix(10)) }
        let heatmap: HTML = trend.last.map { latest in
            let alt = "Rank of \(business) for \(keyword) across the \(tracker.grid.size) by \(tracker.grid.size) grid on \(latest.finished_at.prefix(10)): found at \(latest.found) of \(latest.points) points"
            return """
                <img class="heatmap" src="/api/v1/seo/scans/\(latest.scan_id)/heatmap.svg?keyword=\(FormEncoding.escape(keyword))" alt="\(alt)" width="480" height="560">
                <dl class="facts"><dt>Average rank where found</dt><dd>\(latest.arp.map(LineChart.text) ?? "—")</dd>
                <dt>Average rank, not found as 21</dt><dd>\(LineChart.text(latest.atrp))</dd>
                <dt>Share of local voice (top 3)</dt><dd>\(LineChart.text(latest.solv)) %</dd></dl>
                """
        } ?? "<p class=\"hint\">No finished scan yet.</p>"
        return """
            <p><a href="/console/seo">All trackers</a></p>
            <h1>\(business)</h1>
            <nav aria-label="Keywords" class="subnav"><ul>\(keywords)</ul></nav>
            <div class="grid2">
            <section class="panel" aria-labelledby="grid-heading"><h2 id="grid-heading">\(keyword) on the grid</h2>\(heatmap)</section>
            <section class="panel" aria-labelledby="trend-heading"><h2 id="trend-heading">Trends</h2>
            \(trend.count < 2 ? "<p class=\"hint\">Trends show after two finished scans.</p>" as HTML : """
                \(LineChart(title: "Average rank of \(keyword) at each scan (1 is best; not found counts 21)", measure: "average rank", slots: slots,
                            values: trend.map(\.atrp), low: 1, high: 21, inverted: true).html)
                \(LineChart(title: "Share of local voice for \(keyword) at each scan (% of grid points in the top 3)", measure: "%", slots: slots,
                            values: trend.map(\.solv), low: 0, high: 100, colour: "#15803d").html)
                """)
            </section>
            </div>
            <section class="panel" aria-labelledby="scan-heading"><h2 id="scan-heading">Scans</h2>
            \(scanPart.html(scan, polite: true))
            <form method="post" action="/console/seo/trackers/\(tracker.id)/scans">\(Layout.csrfField(viewer))
            <input type="hidden" name="keyword" value="\(keyword)"><button type="submit">Scan now</button></form>
            </section>
            """
    }

    /// The latest scan's state: running with its progress, or when it finished.
    static func scan(_ latest: SEOScan?) -> HTML {
        guard let latest else { return "<p class=\"hint\">Not scanned yet.</p>" }
        switch latest.status {
        case "finished": return "<p>The latest scan finished at <time datetime=\"\(latest.finished_at ?? "")\">\(latest.finished_at ?? "")</time>.</p>"
        case "failed": return "<p class=\"error\">The latest scan failed: \(latest.error ?? "no reason given").</p>"
        default:
            let done = latest.progress.done, total = max(1, latest.progress.total)
            return "<p>Scanning: \(done) of \(total) searches.</p><progress max=\"\(total)\" value=\"\(done)\" aria-label=\"Scan progress\"></progress>"
        }
    }
}
