/// How a test reaches the host it started (Hummingbird's `.router` and `.live` test modes).
public enum TestMode: Sendable, CaseIterable, CustomStringConvertible {
    /// Each request goes straight to the host's dispatcher — routed, handled on a loop, errors turned into
    /// responses, as a connection would hand it over — with no socket. For everything a socket proves nothing about.
    case inProcess
    /// The host listens on a free port and curl is the client: for what crosses a socket (framing, limits,
    /// streams to a real reader, callbacks over HTTP).
    case live

    public var description: String { self == .inProcess ? "in-process" : "live" }
}
