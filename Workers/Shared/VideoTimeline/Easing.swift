import OzziRuntime

/// How a value moves from one keyframe to the next: CSS's timing functions, the named ones being cubic
/// Béziers (`ease-in` is `cubic-bezier(0.42, 0, 1, 1)`, and so on).
public enum Easing: Sendable, Equatable {
    case linear
    case cubicBezier(Double, Double, Double, Double)

    public static let easeIn = Easing.cubicBezier(0.42, 0, 1, 1)
    public static let easeOut = Easing.cubicBezier(0, 0, 0.58, 1)
    public static let easeInOut = Easing.cubicBezier(0.42, 0, 0.58, 1)

    static let names: [String: Easing] = ["linear": .linear, "ease-in": .easeIn, "ease-out": .easeOut, "ease-in-out": .easeInOut]

    /// `"linear"`, `"ease-in"`, `"ease-out"`, `"ease-in-out"`, or `{"cubic_bezier": [x1, y1, x2, y2]}` with x1
    /// and x2 within 0...1 (so time only goes forward).
    static func read(_ value: JSONValue?, at path: String) throws(TimelineError) -> Easing {
        switch value {
        case nil, .null?: return .linear
        case .string(let name)?:
            guard let easing = names[name] else { throw TimelineError(path, "must be 'linear', 'ease-in', 'ease-out', 'ease-in-out' or {\"cubic_bezier\": [x1, y1, x2, y2]}") }
            return easing
        case .object(let object)?:
            guard object.count == 1, case .array(let items)? = object["cubic_bezier"], items.count == 4,
                  case let numbers = items.compactMap(\.numberValue), numbers.count == 4, numbers.allSatisfy(\.isFinite) else {
                throw TimelineError(path + ".cubic_bezier", "must be four numbers [x1, y1, x2, y2]")
            }
            guard (0...1).contains(numbers[0]), (0...1).contains(numbers[2]) else { throw TimelineError(path + ".cubic_bezier", "x1 and x2 must be from 0 to 1") }
            guard numbers.allSatisfy({ abs($0) <= 10 }) else { throw TimelineError(path + ".cubic_bezier", "y1 and y2 must be from -10 to 10") }
            return .cubicBezier(numbers[0], numbers[1], numbers[2], numbers[3])
        default:
            throw TimelineError(path, "must be a name or {\"cubic_bezier\": [x1, y1, x2, y2]}")
        }
    }

    var json: JSONValue {
        if let name = Self.names.first(where: { $0.value == self })?.key { return .string(name) }
        guard case .cubicBezier(let x1, let y1, let x2, let y2) = self else { return "linear" }
        return ["cubic_bezier": [.number(x1), .number(y1), .number(x2), .number(y2)]]
    }

    /// The eased progress at `progress` (0...1 of the way in time).
    public func value(_ progress: Double) -> Double {
        guard case .cubicBezier(let x1, let y1, let x2, let y2) = self else { return progress }
        let p = min(max(progress, 0), 1)
        return Self.bezier(Self.solve(p, x1, x2), y1, y2)
    }

    /// A cubic Bézier from (0,0) to (1,1) with control values a and b, at parameter s.
    static func bezier(_ s: Double, _ a: Double, _ b: Double) -> Double {
        3 * (1 - s) * (1 - s) * s * a + 3 * (1 - s) * s * s * b + s * s * s
    }

    static func slope(_ s: Double, _ a: Double, _ b: Double) -> Double {
        3 * (1 - s) * (1 - s) * a + 6 * (1 - s) * s * (b - a) + 3 * s * s * (1 - b)
    }

    /// The parameter whose x is `x`: Newton's method, as browsers do, then bisection where the slope is flat.
    static func solve(_ x: Double, _ x1: Double, _ x2: Double) -> Double {
        var s = x
        for _ in 0..<8 {
            let error = bezier(s, x1, x2) - x
            if abs(error) < 1e-7 { return s }
            let d = slope(s, x1, x2)
            if abs(d) < 1e-6 { break }
            s -= error / d
        }
        var low = 0.0, high = 1.0
        s = x
        for _ in 0..<40 {
            let value = bezier(s, x1, x2)
            if abs(value - x) < 1e-7 { break }
            if value < x { low = s } else { high = s }
            s = (low + high) / 2
        }
        return s
    }
}
