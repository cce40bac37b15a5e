import Foundation

/// A scan's grid for one keyword as an SVG image: a disc per point in grid order (north up), coloured by
/// the business's rank there and labelled with it, under a title with the keyword and the metrics.
enum Heatmap {
    static let cell = 56
    static let header = 64

    static func svg(keyword: String, business: String, points: [ScanPoint], size: Int, metrics: RankMetrics) -> String {
        let width = max(size * cell, 360), height = header + size * cell
        let left = (width - size * cell) / 2
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(width / 2)" y="24" text-anchor="middle" font-size="16" font-weight="bold" fill="#111827">\(escape(business)): \(escape(keyword))</text>
            <text x="\(width / 2)" y="46" text-anchor="middle" font-size="13" fill="#374151">ARP \(metrics.arp.map { format($0) } ?? "-") · ATRP \(format(metrics.atrp)) · SoLV \(format(metrics.solv))%</text>

            """
        for point in points {
            let cx = left + point.col * cell + cell / 2, cy = header + point.row * cell + cell / 2
            let label = point.done ? point.rank.map(String.init) ?? "20+" : "…"
            svg += """
                <g><title>\(String(format: "%.6f, %.6f", point.latitude, point.longitude)): \(point.rank.map { "rank \($0)" } ?? (point.done ? "not in the first 20" : "not searched yet"))</title>\
                <circle cx="\(cx)" cy="\(cy)" r="\(cell / 2 - 4)" fill="\(color(point))" stroke="#1f2937" stroke-width="1"/>\
                <text x="\(cx)" y="\(cy + 5)" text-anchor="middle" font-size="14" font-weight="bold" fill="#ffffff">\(label)</text></g>

                """
        }
        return svg + "</svg>\n"
    }

    /// Green for 1-3, lime 4-7, amber 8-12, orange 13-20, red when not found, grey when not searched.
    static func color(_ point: ScanPoint) -> String {
        guard point.done else { return "#9ca3af" }
        switch point.rank {
        case .some(1...3): return "#16a34a"
        case .some(4...7): return "#65a30d"
        case .some(8...12): return "#d97706"
        case .some: return "#ea580c"
        case nil: return "#dc2626"
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
