import OzziRuntime
import Synchronization

/// ffmpeg's progress as the pump thread hands it over, passed on at most every half second (and at the end).
final class ProgressThrottle: Sendable {
    private struct State {
        var parser = FFmpegProgress()
        var lastMs: Int64?
    }

    private let state = Mutex(State())
    private let clock: any WallClock

    init(clock: any WallClock) { self.clock = clock }

    /// The seconds rendered, when it is time to say so.
    func feed(_ chunk: [UInt8]) -> Double? {
        let now = clock.milliseconds
        return state.withLock { state in
            guard state.parser.feed(chunk), state.parser.ended || state.lastMs.map({ now - $0 >= 500 }) ?? true else { return nil }
            state.lastMs = now
            return state.parser.seconds
        }
    }
}
