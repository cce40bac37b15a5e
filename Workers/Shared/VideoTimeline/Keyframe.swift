import OzziRuntime

/// A property's value at a time (seconds from the clip's start), and how it eases to the next keyframe.
public struct Keyframe: Sendable, Equatable {
    public var time: Double
    public var value: Double
    public var easing: Easing

    public init(time: Double, value: Double, easing: Easing = .linear) {
        self.time = time
        self.value = value
        self.easing = easing
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["time": .number(time), "value": .number(value)]
        if easing != .linear { object["easing"] = easing.json }
        return .object(object)
    }
}
