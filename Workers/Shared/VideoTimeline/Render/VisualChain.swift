/// One visual clip's picture — a video's frames, a still image, or text drawn on a transparent canvas the
/// size of its box — put on the project's frame grid, fitted into its box, rotated, faded and scaled, then
/// overlaid with its centre on the box's centre wherever the x and y keyframes move the box.
enum VisualChain {
    enum Source {
        /// A video input, opened at the clip's `in` point.
        case moving(input: Int)
        /// An image input: one decoded picture, repeated only when something about it changes per frame.
        case still(input: Int)
        case text(String)
    }

    /// Adds the clip's chains; returns the label of the canvas with the clip on it (`canvas` itself when
    /// the clip never shows).
    static func overlay(_ clip: VideoClip, source: Source, span: ClipSpan, onto canvas: String, graph: inout RenderGraph) -> String {
        let alpha = AlphaSchedule(clip, span: span)
        let fixedScale = clip.scale.isConstant ? clip.scale.value(at: 0) : 1
        guard !span.frames.isEmpty, fixedScale > 0, !(alpha.isConstant && alpha.initial == 0) else { return canvas }
        let fps = span.fps, name = graph.name("c")
        let local = span.start == 0 ? "t" : "t-\(FilterSyntax.number(span.start))"
        // A constant scale is folded into the fit: the picture is made at its final size once.
        let width = max(1, Int((Double(clip.box.width) * fixedScale).rounded()))
        let height = max(1, Int((Double(clip.box.height) * fixedScale).rounded()))
        let fit = FitFilters.filters(clip.fit, width: width, height: height)
        // yuva420p throughout: what overlay takes on a 4:2:0 canvas, so the fit's scale is the only conversion.
        var head = "", filters: [String]
        switch source {
        case .moving(let input):
            // Onto the grid first (a 60 fps source loses half its frames before any scaling), numbered from
            // the clip's first frame, so every expression after sees the timeline's t.
            head = "[\(input):v]"
            filters = ["setpts=PTS-STARTPTS", "fps=\(fps)", "setpts=PTS+\(span.frames.lowerBound)"] + fit + ["format=yuva420p"]
        case .still(let input):
            head = "[\(input):v]"
            filters = fit + ["format=yuva420p"]
        case .text(let text):
            let size = clip.style.size * fixedScale
            let padding = DrawText.padding(clip.style, size: size)
            let layout = TextLayout(text, font: clip.style.font, size: size, maxWidth: Double(width - 2 * padding))
            filters = ["color=c=0x000000@0:s=\(width)x\(height):r=\(fps)", "format=rgba", "trim=end_frame=1"]
                + DrawText.filters(layout, style: clip.style, top: (Double(height) - layout.height) / 2, inset: 0, enable: nil,
                                   name: name + "-text", graph: &graph)
                + ["format=yuva420p"]
        }
        // What is the same on every frame is done before a still is repeated, so once.
        let angle = clip.rotation.value(at: 0) * .pi / 180
        if clip.rotation.isConstant, angle != 0 {
            let radians = FilterSyntax.number(angle)
            filters.append("rotate=a=\(radians):ow='rotw(\(radians))':oh='roth(\(radians))':c=black@0")
        }
        if alpha.isConstant, alpha.initial < 1 { filters.append(AlphaSchedule.lut(name: nil, value: alpha.initial)) }
        if case .moving = source {} else {
            if !clip.rotation.isConstant || !alpha.isConstant || !clip.scale.isConstant, span.frames.count > 1 {
                filters.append("loop=loop=\(span.frames.count - 1):size=1:start=0")
            }
            filters += ["settb=1/\(fps)", "setpts=N+\(span.frames.lowerBound)"]
        }
        // Per-frame work, on the timeline's t. Rotation's canvas is the diagonal, so no angle clips a corner.
        // (Its corners are filled transparent: rotate's `c=none` leaves them as the last frame drew them.)
        if !clip.rotation.isConstant {
            filters.append("rotate=a='(\(KeyframeExpression.make(clip.rotation, time: local)))*PI/180':ow='hypot(iw,ih)':oh='hypot(iw,ih)':c=black@0")
        }
        if !alpha.isConstant {
            let script = graph.file("\(name)-alpha.cmd", alpha.script(target: name, fps: fps))
            filters += ["sendcmd=f=" + FilterSyntax.quoted(script), AlphaSchedule.lut(name: name, value: alpha.initial)]
        }
        // Scaled last, after rotation: rotate's canvas is sized once, but overlay takes a new size every frame.
        if !clip.scale.isConstant {
            let scale = KeyframeExpression.make(clip.scale, time: local)
            filters.append("scale=w='max(1,iw*(\(scale)))':h='max(1,ih*(\(scale)))':eval=frame")
        }
        graph.chain(head + filters.joined(separator: ",") + "[\(name)]")

        let x = position(clip.x, half: Double(clip.box.width) / 2, size: "overlay_w", time: local)
        let y = position(clip.y, half: Double(clip.box.height) / 2, size: "overlay_h", time: local)
        let moves = !clip.x.isConstant || !clip.y.isConstant || !clip.scale.isConstant
        let output = "[" + graph.name("v") + "]"
        graph.chain("\(canvas)[\(name)]overlay=x='\(x)':y='\(y)':eval=\(moves ? "frame" : "init"):enable='\(span.enable)'\(output)")
        return output
    }

    /// The overlay's x (or y) putting the picture's centre on the box's: the box's corner plus half the box,
    /// less half the picture. overlay truncates positions to even numbers on a 4:2:0 canvas; one pixel more
    /// makes that the nearest even number.
    private static func position(_ corner: Animated, half: Double, size: String, time: String) -> String {
        if corner.isConstant { return "\(FilterSyntax.number(corner.value(at: 0) + half + 1))-\(size)/2" }
        return "(\(KeyframeExpression.make(corner, time: time)))+\(FilterSyntax.number(half + 1))-\(size)/2"
    }
}
