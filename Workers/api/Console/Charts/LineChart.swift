/// A line chart the server draws as SVG: one point a slot (a scan, a day) for one measure, on a fixed
/// scale (`low...high`, drawn upside down when smaller is better, as a rank is), a gap where a slot has no
/// value. The figures follow as a table only screen readers see, as `StackedBars` does.
struct LineChart: Sendable {
    let title: String
    let measure: String
    let slots: [String]
    let values: [Double?]
    let low: Double
    let high: Double
    /// Smaller is better (a rank): the best value is drawn at the top.
    var inverted = false
    var colour = "#1d4ed8"

    private static let width = 720, height = 180, axis = 36, top = 12, bottom = 22

    var html: HTML {
        let plot = Double(Self.height - Self.top - Self.bottom)
        let step = Double(Self.width - Self.axis) / Double(max(1, slots.count))
        func y(_ value: Double) -> Double {
            let share = (min(max(value, low), high) - low) / max(high - low, 1e-9)
            return Double(Self.top) + plot * (inverted ? share : 1 - share)
        }
        func x(_ index: Int) -> Double { Double(Self.axis) + (Double(index) + 0.5) * step }
        // A run of consecutive values is one polyline; a missing value breaks it.
        var runs: [[String]] = [[]]
        var dots: [HTML] = []
        for (index, value) in values.enumerated() {
            guard let value else { runs.append([]); continue }
            runs[runs.count - 1].append("\(StackedBars.number(x(index))),\(StackedBars.number(y(value)))")
            dots.append("<circle cx=\"\(StackedBars.number(x(index)))\" cy=\"\(StackedBars.number(y(value)))\" r=\"3\" fill=\"\(colour)\"><title>\(slots[index]): \(Self.text(value)) \(measure)</title></circle>")
        }
        let lines = runs.filter { $0.count > 1 }.map { "<polyline points=\"\($0.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>" as HTML }
        let every = max(1, slots.count / 8)
        let labels = slots.enumerated().filter { $0.offset % every == 0 }.map { index, label -> HTML in
            "<text x=\"\(StackedBars.number(x(index)))\" y=\"\(Self.height - 6)\" text-anchor=\"middle\">\(label)</text>"
        }
        let rows = zip(slots, values).map { slot, value -> HTML in "<tr><th scope=\"row\">\(slot)</th><td>\(value.map(Self.text) ?? "—")</td></tr>" }
        return """
            <figure class="chart"><svg viewBox="0 0 \(Self.width) \(Self.height)" role="img" aria-label="\(title)" focusable="false">
            <line x1="\(Self.axis)" y1="\(Self.top + Int(plot))" x2="\(Self.width)" y2="\(Self.top + Int(plot))" stroke="#6b7280"/>
            <text x="\(Self.axis - 4)" y="\(Self.top + 4)" text-anchor="end">\(Self.text(inverted ? low : high))</text>
            <text x="\(Self.axis - 4)" y="\(Self.top + Int(plot))" text-anchor="end">\(Self.text(inverted ? high : low))</text>
            \(lines)\(dots)\(labels)</svg>
            <figcaption class="hint">\(title)</figcaption>
            <table class="visually-hidden"><caption>\(title)</caption><thead><tr><th scope="col">When</th><th scope="col">\(measure)</th></tr></thead><tbody>\(rows)</tbody></table>
            </figure>
            """
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
