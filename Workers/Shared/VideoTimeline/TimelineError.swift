/// A project document that cannot be rendered, naming the place (`tracks[1].clips[0].keyframes.x[2].time`)
/// and what is wrong there; the api answers it as a 422 on that field.
public struct TimelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path) \(message)" }
}
