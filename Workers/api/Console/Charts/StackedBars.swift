/// A bar chart the server draws as SVG: one bar a slot (an hour, a day), stacked by series, scaled to the
/// tallest, with the top value on the axis. The same figures follow as a table only screen readers see, so
/// the chart says everything it shows to whoever cannot see it.
struct StackedBars: Sendable {
    struct Series: Sendable {
        let name: String
        /// A fill with at least 3:1 contrast against the white panel (WCAG's non-text contrast).
        let colour: String
    }

    let title: String
    let slots: [String]
    let series: [Series]
    /// `values[slot][series]`.
    let values: [[Int]]

    private static let width = 720, height = 180, axis = 36, top = 12, bottom = 22

    var html: HTML {
        let totals = values.map { $0.reduce(0, +) }
        let highest = max(1, totals.max() ?? 1)
        let plot = Self.height - Self.top - Self.bottom
        let slotWidth = Double(Self.width - Self.axis) / Double(max(1, slots.count))
        var bars: [HTML] = []
        for (index, column) in values.enumerated() {
            var y = Double(Self.top + plot)
            let x = Double(Self.axis) + Double(index) * slotWidth + slotWidth * 0.15
            for (part, value) in column.enumerated() where value > 0 {
                let h = Double(plot) * Double(value) / Double(highest)
                y -= h
                bars.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(slotWidth * 0.7))\" height=\"\(Self.number(h))\" fill=\"\(series[part].colour)\"><title>\(slots[index]): \(value) \(series[part].name)</title></rect>")
            }
        }
        // Every fourth slot's label, so they never overlap.
        let labels = slots.enumerated().filter { $0.offset % 4 == 0 }.map { index, label -> HTML in
            "<text x=\"\(Self.number(Double(Self.axis) + (Double(index) + 0.5) * slotWidth))\" y=\"\(Self.height - 6)\" text-anchor=\"middle\">\(label)</text>"
        }
        // Fills are SVG attributes, not style attributes, which the console's CSP does not allow.
        let legend = series.map {
            "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"12\" height=\"12\" fill=\"\($0.colour)\"/></svg> \($0.name)</li>" as HTML
        }
        let header = series.map { "<th scope=\"col\">\($0.name)</th>" as HTML }
        let rows = zip(slots, values).filter { $0.1.contains { $0 > 0 } }.map { slot, column -> HTML in
            "<tr><th scope=\"row\">\(slot)</th>\(column.map { "<td>\($0)</td>" as HTML })</tr>"
        }
        return """
            <figure class="chart"><svg viewBox="0 0 \(Self.width) \(Self.height)" role="img" aria-label="\(title)" focusable="false">
            <line x1="\(Self.axis)" y1="\(Self.top + plot)" x2="\(Self.width)" y2="\(Self.top + plot)" stroke="#6b7280"/>
            <text x="\(Self.axis - 4)" y="\(Self.top + 4)" text-anchor="end">\(highest)</text>
            <text x="\(Self.axis - 4)" y="\(Self.top + plot)" text-anchor="end">0</text>
            \(bars)\(labels)</svg>
            <figcaption><ul class="legend">\(legend)</ul></figcaption>
            <table class="visually-hidden"><caption>\(title)</caption><thead><tr><th scope="col">Time</th>\(header)</tr></thead><tbody>\(rows)</tbody></table>
            </figure>
            """
    }

    /// A coordinate with one decimal, as the charts write them.
    static func number(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}
