/// Burned captions: each segment's lines drawn on the finished picture while it lasts, aligned by the
/// caption style (centred by default), the band's bottom `marginBottom` pixels above the frame's.
enum CaptionFilters {
    static func filters(_ captions: Captions, project: VideoProject, graph: inout RenderGraph) -> [String] {
        guard captions.burn else { return [] }
        let (width, height) = project.size
        let style = captions.style
        let padding = DrawText.padding(style, size: style.size)
        // A twentieth of the width either side, so a long line never touches the frame's edge.
        let inset = width / 20
        var filters: [String] = []
        for (index, segment) in captions.segments.enumerated() {
            let frames = ClipSpan.frames(from: segment.start, to: min(segment.end, project.duration), fps: project.fps)
            guard !frames.isEmpty else { continue }
            let layout = TextLayout(segment.text, font: style.font, size: style.size, maxWidth: Double(width - 2 * inset - 2 * padding))
            // The band's bottom is the last line's box: its descent and padding below its baseline.
            let bottom = Double(height - captions.marginBottom - padding) - FontMetrics.descent * style.size
            let top = bottom - layout.baseline(layout.lines.count - 1)
            filters += DrawText.filters(layout, style: style, top: top, inset: inset, enable: ClipSpan.enable(frames, fps: project.fps),
                                        name: "caption\(index)", graph: &graph)
        }
        return filters
    }
}
