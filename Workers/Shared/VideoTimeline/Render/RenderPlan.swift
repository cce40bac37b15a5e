/// A project as one ffmpeg command: one filter graph whose canvas is the background colour (or the first
/// track's clips, when they fill the frame: see BaseLayer), each visual clip overlaid on it in z-order,
/// burned captions drawn on top, every clip's sound mixed over silence; encoded to an H.264/AAC MP4 that
/// can start playing before it has downloaded.
public struct RenderPlan: Sendable {
    /// ffmpeg's arguments, without the program's name. Progress is written to stdout (`-progress pipe:1`).
    public let arguments: [String]
    /// Files to write into the work directory before running ffmpeg: drawtext's text, sendcmd scripts, and
    /// the filter graph itself when it is too long for one argument.
    public let files: [(path: String, contents: String)]

    /// A graph longer than this goes in a file: Linux limits one argument to 128 KiB.
    static let longestInlineGraph = 16_000

    /// The plan for `project`, `inputs` holding each asset it uses by id. With `poster`, the same run also
    /// writes one JPEG frame (at `posterTime`) there: a second ffmpeg would decode the MP4 just made again.
    public static func make(project: VideoProject, inputs: [String: RenderInput], output: String, poster: String? = nil,
                            quality: RenderQuality = .standard, workDirectory: String) throws(TimelineError) -> RenderPlan {
        var placed: [[(clip: VideoClip, asset: RenderInput?, span: ClipSpan)]] = []
        for (trackIndex, track) in project.tracks.enumerated() {
            placed.append([])
            for (clipIndex, clip) in track.clips.enumerated() {
                let path = "tracks[\(trackIndex)].clips[\(clipIndex)]"
                let asset = try asset(of: clip, on: track.kind, in: inputs, at: path)
                placed[trackIndex].append((clip, asset, try ClipSpan(clip, asset: asset, project: project, path: path)))
            }
        }
        var graph = RenderGraph(workDirectory: workDirectory)
        let (width, height) = project.size
        let duration = FilterSyntax.number(project.duration)
        let hasBase = BaseLayer.canTake(placed.first ?? [], project: project)
        var canvas = "[bg]"
        if !hasBase { graph.chain("color=c=\(project.background.ffmpeg):s=\(width)x\(height):r=\(project.fps):d=\(duration),format=yuv420p[bg]") }
        var sounds: [String] = []
        for (trackIndex, track) in project.tracks.enumerated() {
            var segments: [(frames: Range<Int>, label: String)] = []
            for (clip, asset, span) in placed[trackIndex] {
                guard let asset else {
                    canvas = VisualChain.overlay(clip, source: .text(clip.text ?? ""), span: span, onto: canvas, graph: &graph)
                    continue
                }
                var options: [String] = []
                if asset.kind != .image {
                    if clip.inPoint > 0 { options += ["-ss", FilterSyntax.number(clip.inPoint)] }
                    options += ["-t", FilterSyntax.number(span.length)]
                }
                let input = graph.input(options, path: asset.path)
                if track.kind != .audio {
                    let source: VisualChain.Source = asset.kind == .image ? .still(input: input) : .moving(input: input)
                    if hasBase, trackIndex == 0 {
                        segments.append((span.frames, BaseLayer.segment(clip, source: source, span: span, project: project, graph: &graph)))
                    } else {
                        canvas = VisualChain.overlay(clip, source: source, span: span, onto: canvas, graph: &graph)
                    }
                }
                if track.kind == .audio || track.kind == .video && asset.kind == .video && asset.hasAudio,
                   let sound = AudioChain.add(clip, input: input, span: span, graph: &graph) {
                    sounds.append(sound)
                }
            }
            if hasBase, trackIndex == 0 { canvas = BaseLayer.canvas(segments, project: project, graph: &graph) }
        }
        if let captions = project.captions {
            let filters = CaptionFilters.filters(captions, project: project, graph: &graph)
            if !filters.isEmpty {
                graph.chain(canvas + filters.joined(separator: ",") + "[captioned]")
                canvas = "[captioned]"
            }
        }
        // Silence as long as the project under the clips' sound, so every render has its AAC track.
        let silence = "anullsrc=r=\(AudioChain.sampleRate):cl=stereo:d=\(duration)"
        if sounds.isEmpty {
            graph.chain(silence + ",atrim=end=\(duration)[mix]")
        } else {
            graph.chain(silence + "[silence]")
            graph.chain("[silence]" + sounds.joined() + "amix=inputs=\(sounds.count + 1):normalize=0:duration=longest,atrim=end=\(duration)[mix]")
        }

        var posterArguments: [String] = []
        if let poster {
            // One frame of the finished picture, cut from a copy of it; that branch ends there, the other goes on.
            let at = posterTime(project), frame = 1 / Double(project.fps)
            graph.chain(canvas + "split=2[picture][whole]")
            graph.chain("[whole]trim=start=\(FilterSyntax.number(at)):end=\(FilterSyntax.number(at + 1.5 * frame)),setpts=PTS-STARTPTS[poster]")
            canvas = "[picture]"
            posterArguments = ["-map", "[poster]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1", poster]
        }

        let filterGraph = graph.filterGraph
        let graphArguments = filterGraph.utf8.count > longestInlineGraph
            ? ["-filter_complex_script", graph.file("graph.txt", filterGraph)]
            : ["-filter_complex", filterGraph]
        let arguments = ["-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y"]
            + graph.inputs.flatMap { $0 } + graphArguments
            + ["-map", canvas, "-map", "[mix]",
               "-c:v", "libx264", "-preset", quality.preset, "-crf", String(quality.crf)]
            + (quality.x264Parameters.map { ["-x264-params", $0] } ?? [])
            + ["-pix_fmt", "yuv420p", "-r", String(project.fps),
               "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-t", duration, "-threads", "0", "-f", "mp4", output]
            + posterArguments
        return RenderPlan(arguments: arguments, files: graph.files)
    }

    /// When the poster is taken: a second in, or half-way through a shorter project.
    public static func posterTime(_ project: VideoProject) -> Double { min(1, project.duration / 2) }

    /// The clip's asset, checked against what its track does with it; nil for text.
    private static func asset(of clip: VideoClip, on kind: VideoTrack.Kind, in inputs: [String: RenderInput], at path: String) throws(TimelineError) -> RenderInput? {
        guard let id = clip.assetID, kind != .text else { return nil }
        guard let asset = inputs[id] else { throw TimelineError(path + ".asset_id", "names asset '\(id)', which the render was not given") }
        if kind == .audio, !asset.hasAudio { throw TimelineError(path + ".asset_id", "names asset '\(id)', which has no sound") }
        if kind != .audio, !asset.hasVideo { throw TimelineError(path + ".asset_id", "names asset '\(id)', which has no picture") }
        return asset
    }
}
