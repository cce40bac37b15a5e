import OzziRuntime

/// A video as its editor describes it: the frame (aspect ratio, resolution, frame rate), its length, a
/// background, tracks of clips stacked in z-order, and captions. One JSON document, checked whole: the
/// api stores it, the renderer turns it into one ffmpeg filter graph.
public struct VideoProject: Sendable, Equatable {
    public var aspectRatio: AspectRatio
    public var resolution: Resolution
    public var fps: Int
    public var duration: Double
    public var background: Color
    public var tracks: [VideoTrack]
    public var captions: Captions?

    public var size: (width: Int, height: Int) { aspectRatio.size(shortSide: resolution.rawValue) }

    public static let frameRates = [24, 25, 30, 50, 60]
    public static let maxDuration: Double = 600

    public static func == (a: VideoProject, b: VideoProject) -> Bool { a.json == b.json }

    /// Reads and checks a document; `base` supplies what a change leaves out (a PATCH gives only what it
    /// changes; `tracks` and `captions` are replaced whole). The result is checked whole again, so kept
    /// tracks are held to a changed frame or length.
    public static func read(_ value: JSONValue, over base: VideoProject? = nil) throws(TimelineError) -> VideoProject {
        guard let base else { return try read(value) }
        guard case .object(let changes) = value, case .object(var merged) = base.json else { throw TimelineError("", "must be an object") }
        for (key, change) in changes { merged[key] = change }
        return try read(.object(merged))
    }

    private static func read(_ value: JSONValue) throws(TimelineError) -> VideoProject {
        let reader = try TimelineReader(value, at: "")
        try reader.only(["aspect_ratio", "resolution", "fps", "duration", "background", "tracks", "captions"])
        let aspect = try reader.choice("aspect_ratio", AspectRatio.self) ?? .landscape
        var resolution = Resolution.p1080
        if let given = try reader.number("resolution") {
            guard let chosen = Resolution(rawValue: Int(exactly: given) ?? -1) else { throw TimelineError("resolution", "must be 360, 480, 720 or 1080") }
            resolution = chosen
        }
        var fps = 30
        if let given = try reader.number("fps") {
            guard let rate = Int(exactly: given), frameRates.contains(rate) else { throw TimelineError("fps", "must be 24, 25, 30, 50 or 60") }
            fps = rate
        }
        let duration = try reader.number("duration", in: 0...maxDuration) ?? 10
        guard duration >= 0.1 else { throw TimelineError("duration", "must be at least 0.1 seconds") }
        let size = aspect.size(shortSide: resolution.rawValue)
        let frame = ProjectFrame(width: size.width, height: size.height, duration: duration)
        var tracks: [VideoTrack] = []
        for (index, item) in (try reader.array("tracks", max: 50) ?? []).enumerated() {
            tracks.append(try VideoTrack.read(item, at: "tracks[\(index)]", project: frame))
        }
        var ids = Set<String>()
        for (trackIndex, track) in tracks.enumerated() {
            guard ids.insert(track.id).inserted else { throw TimelineError("tracks[\(trackIndex)].id", "repeats '\(track.id)'") }
            for (clipIndex, clip) in track.clips.enumerated() where !ids.insert(clip.id).inserted {
                throw TimelineError("tracks[\(trackIndex)].clips[\(clipIndex)].id", "repeats '\(clip.id)'")
            }
        }
        return VideoProject(aspectRatio: aspect, resolution: resolution, fps: fps, duration: duration, background: try reader.color("background") ?? .black,
                            tracks: tracks, captions: try Captions.read(reader.object["captions"], at: "captions", project: frame))
    }

    /// Every asset the tracks use, in order of first use.
    public var assetIDs: [String] {
        var seen = Set<String>()
        return tracks.flatMap(\.clips).compactMap(\.assetID).filter { seen.insert($0).inserted }
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "aspect_ratio": .string(aspectRatio.rawValue), "resolution": .number(Double(resolution.rawValue)), "fps": .number(Double(fps)),
            "duration": .number(duration), "background": .string(background.hex), "tracks": .array(tracks.map(\.json)),
        ]
        object["captions"] = captions?.json ?? .null
        return .object(object)
    }
}
