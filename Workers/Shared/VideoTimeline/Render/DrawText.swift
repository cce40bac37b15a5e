/// drawtext filters for text laid out by TextLayout, one per line. Each line is read from a file written
/// beside the graph (`textfile=`), so no user text is ever escaped into it, and with `expansion=none`, so
/// `%{...}` is drawn as typed rather than expanded.
enum DrawText {
    /// The box's margin around a line when the style has a background.
    static func padding(_ style: TextStyle, size: Double) -> Int {
        style.background == nil ? 0 : Int((size * 0.2).rounded())
    }

    /// One filter per non-blank line of `layout`: the block's top at `top`, each line aligned by the style
    /// between `inset` pixels from either side of the picture it is drawn on.
    static func filters(_ layout: TextLayout, style: TextStyle, top: Double, inset: Int, enable: String?, name: String,
                        graph: inout RenderGraph) -> [String] {
        let padding = padding(style, size: layout.size)
        let x = switch style.align {
        case .left: "\(inset + padding)"
        case .center: "(w-text_w)/2"
        case .right: "w-text_w-\(inset + padding)"
        }
        var filters: [String] = []
        for (index, line) in layout.lines.enumerated() where line.contains(where: { $0 != " " && $0 != "\t" }) {
            let file = graph.file("\(name)-\(index).txt", line)
            var options = [
                "fontfile=" + FilterSyntax.quoted(style.font.file), "textfile=" + FilterSyntax.quoted(file), "expansion=none",
                "fontsize=\(Int(layout.size.rounded()))", "fontcolor=\(style.color.ffmpeg)",
            ]
            if let background = style.background {
                options += ["box=1", "boxcolor=\(background.ffmpeg)", "boxborderw=\(padding)"]
            }
            // drawtext puts a line's tallest glyph at y: y = baseline - ascent keeps every baseline where the
            // layout says, whatever the line's letters.
            options += ["x='\(x)'", "y='\(FilterSyntax.number((top + layout.baseline(index)).rounded()))-ascent'"]
            if let enable { options.append("enable='\(enable)'") }
            filters.append("drawtext=" + options.joined(separator: ":"))
        }
        return filters
    }
}
