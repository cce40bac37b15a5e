import OzziRuntime

/// How a text clip or a caption is drawn: one of the fonts the host has, its size in pixels, colours, and
/// where in its box the lines sit.
public struct TextStyle: Sendable, Equatable {
    public enum Font: String, Sendable, CaseIterable {
        case sans, sansBold = "sans-bold", serif, serifBold = "serif-bold", mono

        /// The DejaVu files (Debian `fonts-dejavu-core`): the same glyphs on every host.
        public var file: String {
            let folder = "/usr/share/fonts/truetype/dejavu/"
            switch self {
            case .sans: return folder + "DejaVuSans.ttf"
            case .sansBold: return folder + "DejaVuSans-Bold.ttf"
            case .serif: return folder + "DejaVuSerif.ttf"
            case .serifBold: return folder + "DejaVuSerif-Bold.ttf"
            case .mono: return folder + "DejaVuSansMono.ttf"
            }
        }
    }

    public enum Alignment: String, Sendable, CaseIterable {
        case left, center, right
    }

    public var font: Font = .sansBold
    public var size: Double = 64
    public var color: Color = .white
    public var background: Color?
    public var align: Alignment = .center

    public init() {}

    static func read(_ value: JSONValue?, over base: TextStyle, at path: String) throws(TimelineError) -> TextStyle {
        guard let value, value != .null else { return base }
        let reader = try TimelineReader(value, at: path)
        try reader.only(["font", "size", "color", "background", "align"])
        var style = base
        if let font = try reader.choice("font", Font.self) { style.font = font }
        if let size = try reader.number("size", in: 4...800) { style.size = size }
        if let color = try reader.color("color") { style.color = color }
        if reader.has("background") { style.background = try reader.color("background") }
        if let align = try reader.choice("align", Alignment.self) { style.align = align }
        return style
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["font": .string(font.rawValue), "size": .number(size), "color": .string(color.hex), "align": .string(align.rawValue)]
        object["background"] = background.map { .string($0.hex) } ?? .null
        return .object(object)
    }
}
