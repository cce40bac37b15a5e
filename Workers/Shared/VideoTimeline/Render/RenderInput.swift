/// What the renderer knows of one asset once ffprobe has looked at it: where its file is, what it is, and
/// what it holds.
public struct RenderInput: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case video, audio, image
    }

    /// A local file ffmpeg can open (an absolute path: a relative one containing `:` reads as a protocol).
    public var path: String
    public var kind: Kind
    /// Seconds, when the container says; a clip without a duration of its own plays to it.
    public var duration: Double?
    public var hasVideo: Bool
    public var hasAudio: Bool
    public var width: Int?
    public var height: Int?

    public init(path: String, kind: Kind, duration: Double? = nil, hasVideo: Bool, hasAudio: Bool, width: Int? = nil, height: Int? = nil) {
        self.path = path
        self.kind = kind
        self.duration = duration
        self.hasVideo = hasVideo
        self.hasAudio = hasAudio
        self.width = width
        self.height = height
    }
}
