/// The bottom of the picture when the first track can be it. Overlaying a clip blends every pixel of every
/// frame (some 8 ms a 1080x1920 frame on one core), which for a full-frame clip only hides the background.
/// So when each of the first track's clips is opaque, still, fills the frame and overlaps no other, those
/// clips are the canvas: each clip's frames, and the background colour's between them, interleaved by
/// their timestamps — what a hand-written concat does. Otherwise the canvas is the background colour.
enum BaseLayer {
    /// Whether the first track's clips can be the canvas.
    static func canTake(_ clips: [(clip: VideoClip, asset: RenderInput?, span: ClipSpan)], project: VideoProject) -> Bool {
        guard !clips.isEmpty else { return false }
        var taken = 0
        for (clip, asset, span) in clips.sorted(by: { $0.span.frames.lowerBound < $1.span.frames.lowerBound }) {
            guard let asset, clip.kind != .audio, fills(clip, asset: asset, project: project), !span.frames.isEmpty,
                  span.frames.lowerBound >= taken else { return false }
            taken = span.frames.upperBound
        }
        return true
    }

    /// Fitted, it covers the frame exactly, and nothing about it changes but its fades.
    private static func fills(_ clip: VideoClip, asset: RenderInput, project: VideoProject) -> Bool {
        let (width, height) = project.size
        let properties = [clip.x, clip.y, clip.scale, clip.rotation, clip.opacity]
        guard properties.allSatisfy(\.isConstant), properties.map({ $0.value(at: 0) }) == [0, 0, 1, 0, 1],
              clip.box.width == width, clip.box.height == height else { return false }
        if clip.fit == .cover { return true }
        // Contained, it fills the box only when the shapes match (to a pixel, which cover then crops).
        guard let sourceWidth = asset.width, let sourceHeight = asset.height, sourceWidth > 0, sourceHeight > 0 else { return false }
        let factor = min(Double(width) / Double(sourceWidth), Double(height) / Double(sourceHeight))
        return Double(sourceWidth) * factor >= Double(width - 1) && Double(sourceHeight) * factor >= Double(height - 1)
    }

    /// One clip's frames, opaque, on the timeline's grid; fades go to and from the background colour, as
    /// they would over it. Returns its label.
    static func segment(_ clip: VideoClip, source: VisualChain.Source, span: ClipSpan, project: VideoProject, graph: inout RenderGraph) -> String {
        let (width, height) = project.size
        let fps = span.fps, count = span.frames.count
        // A contained clip fills the frame only when its shape is the frame's (to a pixel): covering it is the same picture.
        let fit = FitFilters.filters(.cover, width: width, height: height) + ["setsar=1", "format=yuv420p"]
        var filters: [String]
        switch source {
        case .moving(let input):
            // A source that ends early holds its last frame, as an overlay would, so later frames keep their place.
            filters = ["[\(input):v]setpts=PTS-STARTPTS", "fps=\(fps)", "setpts=PTS+\(span.frames.lowerBound)"] + fit
                + ["tpad=stop=-1:stop_mode=clone", "trim=end_frame=\(count)"]
        case .still(let input):
            filters = ["[\(input):v]" + fit[0]] + fit.dropFirst()
                + ["loop=loop=\(count - 1):size=1:start=0", "settb=1/\(fps)", "setpts=N+\(span.frames.lowerBound)"]
        case .text:
            preconditionFailure("text is never opaque")
        }
        let colour = project.background.ffmpeg
        if clip.fadeIn > 0 {
            filters.append("fade=t=in:st=\(FilterSyntax.number(span.start)):d=\(FilterSyntax.number(clip.fadeIn)):color=\(colour)")
        }
        if clip.fadeOut > 0 {
            let start = span.start + max(0, span.length - clip.fadeOut)
            filters.append("fade=t=out:st=\(FilterSyntax.number(start)):d=\(FilterSyntax.number(clip.fadeOut)):color=\(colour)")
        }
        let label = "[" + graph.name("s") + "]"
        graph.chain(filters.joined(separator: ",") + label)
        return label
    }

    /// The canvas: the segments, with the background colour wherever none is, interleaved.
    static func canvas(_ segments: [(frames: Range<Int>, label: String)], project: VideoProject, graph: inout RenderGraph) -> String {
        let (width, height) = project.size
        let total = Int((project.duration * Double(project.fps) - 1e-6).rounded(.up))
        var labels: [String] = [], next = 0
        func gap(to end: Int) {
            guard end > next else { return }
            let label = "[" + graph.name("g") + "]"
            graph.chain("color=c=\(project.background.ffmpeg):s=\(width)x\(height):r=\(project.fps),format=yuv420p,trim=end_frame=\(end - next),setpts=PTS+\(next)\(label)")
            labels.append(label)
        }
        for segment in segments.sorted(by: { $0.frames.lowerBound < $1.frames.lowerBound }) {
            gap(to: segment.frames.lowerBound)
            labels.append(segment.label)
            next = segment.frames.upperBound
        }
        gap(to: total)
        guard labels.count > 1 else { return labels[0] }
        let label = "[" + graph.name("base") + "]"
        graph.chain(labels.joined() + "interleave=n=\(labels.count)" + label)
        return label
    }
}
