/// One clip's sound for the mix: its asset's audio from `in` for the clip's length, at its volume
/// (keyframes and fades on the clip's own time), then delayed to its start on the timeline.
enum AudioChain {
    static let sampleRate = 48_000

    /// Adds the clip's chain; returns its label, or nil when its volume keeps it silent throughout.
    static func add(_ clip: VideoClip, input: Int, span: ClipSpan, graph: inout RenderGraph) -> String? {
        let volume = clip.volume.value(at: 0)
        if clip.volume.isConstant, volume == 0 { return nil }
        var filters = [
            "asetpts=PTS-STARTPTS", "aformat=sample_fmts=fltp:sample_rates=\(sampleRate):channel_layouts=stereo",
            "atrim=end=\(FilterSyntax.number(span.length))",
        ]
        if !clip.volume.isConstant {
            filters.append("volume=volume='\(KeyframeExpression.make(clip.volume, time: "t"))':eval=frame")
        } else if volume != 1 {
            filters.append("volume=\(FilterSyntax.number(volume))")
        }
        if clip.fadeIn > 0 { filters.append("afade=t=in:st=0:d=\(FilterSyntax.number(clip.fadeIn))") }
        if clip.fadeOut > 0 {
            filters.append("afade=t=out:st=\(FilterSyntax.number(max(0, span.length - clip.fadeOut))):d=\(FilterSyntax.number(clip.fadeOut))")
        }
        // In samples, not milliseconds: a start between two milliseconds is kept.
        let delay = Int((span.start * Double(sampleRate)).rounded())
        if delay > 0 { filters.append("adelay=delays=\(delay)S:all=1") }
        let label = "[" + graph.name("a") + "]"
        graph.chain("[\(input):a]" + filters.joined(separator: ",") + label)
        return label
    }
}
