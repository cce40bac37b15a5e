/// The three shapes social channels take, each at a resolution named by its short side.
public enum AspectRatio: String, Sendable, CaseIterable {
    case landscape = "16:9"
    case portrait = "9:16"
    case square = "1:1"

    /// The frame's width and height with `shortSide` pixels on the short side (even, as H.264's 4:2:0 needs).
    public func size(shortSide: Int) -> (width: Int, height: Int) {
        let long = (shortSide * 16 / 9 + 1) / 2 * 2
        switch self {
        case .landscape: return (long, shortSide)
        case .portrait: return (shortSide, long)
        case .square: return (shortSide, shortSide)
        }
    }
}

/// The short side's pixels a project may choose.
public enum Resolution: Int, Sendable, CaseIterable {
    case p360 = 360, p480 = 480, p720 = 720, p1080 = 1080
}
