import OzziRuntime

/// The properties keyframes animate, with the values each may take.
public enum AnimatedProperty: String, Sendable, CaseIterable {
    case x, y, scale, rotation, opacity, volume

    var range: ClosedRange<Double> {
        switch self {
        case .x, .y: -20_000...20_000
        case .scale: 0...20
        case .rotation: -3600...3600
        case .opacity: 0...1
        case .volume: 0...4
        }
    }
}

/// A property's base value and its keyframes (in time order): before the first keyframe it holds the
/// first's value, after the last the last's, between two it eases from one to the next.
public struct Animated: Sendable, Equatable {
    public var base: Double
    public var keyframes: [Keyframe]

    public init(_ base: Double, keyframes: [Keyframe] = []) {
        self.base = base
        self.keyframes = keyframes
    }

    public var isConstant: Bool { keyframes.isEmpty || keyframes.allSatisfy { $0.value == keyframes[0].value } }

    /// The value at `time` seconds from the clip's start.
    public func value(at time: Double) -> Double {
        guard let first = keyframes.first, let last = keyframes.last else { return base }
        if time <= first.time { return first.value }
        if time >= last.time { return last.value }
        let next = keyframes.firstIndex { $0.time > time }!
        let from = keyframes[next - 1], to = keyframes[next]
        return from.value + (to.value - from.value) * from.easing.value((time - from.time) / (to.time - from.time))
    }

    static func read(_ items: [JSONValue], property: AnimatedProperty, base: Double, length: Double, at path: String) throws(TimelineError) -> Animated {
        var keyframes: [Keyframe] = []
        for (index, item) in items.enumerated() {
            let reader = try TimelineReader(item, at: "\(path)[\(index)]")
            try reader.only(["time", "value", "easing"])
            guard let time = try reader.number("time", in: 0...length) else { throw TimelineError(reader.at("time"), "is required") }
            guard let value = try reader.number("value", in: property.range) else { throw TimelineError(reader.at("value"), "is required") }
            if let previous = keyframes.last, time <= previous.time {
                throw TimelineError(reader.at("time"), "must come after the keyframe before it (\(TimelineReader.text(previous.time)) s)")
            }
            keyframes.append(Keyframe(time: time, value: value, easing: try Easing.read(reader.object["easing"], at: reader.at("easing"))))
        }
        return Animated(base, keyframes: keyframes)
    }
}
