/// Where a clip sits on the timeline: from its start for its length (its own duration, else what is left
/// of its asset after `in`, either cut at the project's end), and the frames of the project's grid that
/// show it.
struct ClipSpan {
    let start: Double
    let length: Double
    let fps: Int
    /// The timeline's frames (numbered from 0 at `fps`) whose time lies within [start, start + length).
    let frames: Range<Int>

    init(_ clip: VideoClip, asset: RenderInput?, project: VideoProject, path: String) throws(TimelineError) {
        var length = project.duration - clip.start
        if let duration = clip.duration {
            length = min(length, duration)
        } else if let available = asset?.duration {
            guard available > clip.inPoint else {
                throw TimelineError(path + ".in", "is at or past the end of its asset (\(TimelineReader.text(available)) s)")
            }
            length = min(length, available - clip.inPoint)
        }
        start = clip.start
        self.length = length
        fps = project.fps
        frames = Self.frames(from: start, to: start + length, fps: fps)
    }

    /// The clip's time (seconds from its start) at a frame of the timeline.
    func localTime(frame: Int) -> Double { Double(frame) / Double(fps) - start }

    var enable: String { Self.enable(frames, fps: fps) }

    /// The frames whose time is in [start, end). A frame's time equal to a bound in decimal can land a hair
    /// either side in binary: the millionth of a frame keeps such a frame on the side it belongs.
    static func frames(from start: Double, to end: Double, fps: Int) -> Range<Int> {
        let first = Int((start * Double(fps) - 1e-6).rounded(.up))
        return first..<max(first, Int((end * Double(fps) - 1e-6).rounded(.up)))
    }

    /// A filter's `enable` for exactly these frames: its bounds half a frame off the grid, where no frame's
    /// time can round onto them.
    static func enable(_ frames: Range<Int>, fps: Int) -> String {
        let frame = 1 / Double(fps)
        return "between(t,\(FilterSyntax.number((Double(frames.lowerBound) - 0.5) * frame)),\(FilterSyntax.number((Double(frames.upperBound) - 0.5) * frame)))"
    }
}
