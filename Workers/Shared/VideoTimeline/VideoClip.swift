import OzziRuntime

/// A piece of a track: an asset (or, on a text track, text) placed on the timeline from `start` for
/// `duration` seconds, taken from the asset's `in` point; drawn into its box (`x`, `y`, `width`, `height`
/// in the frame's pixels, the box's top-left corner) by `fit`, then scaled and rotated about the box's centre.
/// Keyframes animate x, y, scale, rotation, opacity and volume (times from the clip's start); fades blend it
/// in and out.
public struct VideoClip: Sendable, Equatable {
    public enum Fit: String, Sendable, CaseIterable {
        /// The whole picture inside the box, bars where the shapes differ.
        case contain
        /// The box filled, the picture cropped where the shapes differ.
        case cover
    }

    public var id: String
    public let kind: VideoTrack.Kind
    public var assetID: String?
    public var start: Double
    /// Nil for a video or audio clip that plays to its asset's end (or the project's).
    public var duration: Double?
    public var inPoint: Double
    public var box: (x: Int, y: Int, width: Int, height: Int)
    public var fit: Fit
    public var x: Animated, y: Animated, scale: Animated, rotation: Animated, opacity: Animated, volume: Animated
    public var fadeIn: Double
    public var fadeOut: Double
    public var text: String?
    public var style: TextStyle

    public static func == (a: VideoClip, b: VideoClip) -> Bool { a.json == b.json }

    /// The clip's end on the timeline when it is known from the document alone.
    public var end: Double? { duration.map { start + $0 } }

    static let fields: Set<String> = ["id", "asset_id", "start", "duration", "in", "x", "y", "width", "height", "fit", "scale", "rotation",
                                      "opacity", "volume", "keyframes", "fade_in", "fade_out", "text", "style"]

    static func read(_ value: JSONValue, at path: String, kind: VideoTrack.Kind, project: ProjectFrame) throws(TimelineError) -> VideoClip {
        let reader = try TimelineReader(value, at: path)
        try reader.only(fields)
        let id = try identifier(reader, fallback: path)
        let assetID = try reader.string("asset_id", maxLength: 64)
        let text = try reader.string("text", maxLength: 2_000)
        switch kind {
        case .text:
            if reader.has("asset_id") { throw TimelineError(reader.at("asset_id"), "has no place on a text track") }
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw TimelineError(reader.at("text"), "is required on a text track") }
        case .video, .audio, .image:
            guard let assetID, !assetID.isEmpty else { throw TimelineError(reader.at("asset_id"), "is required on a\(kind == .audio || kind == .image ? "n" : "") \(kind.rawValue) track") }
            if reader.has("text") { throw TimelineError(reader.at("text"), "belongs on a text track") }
        }
        guard let start = try reader.number("start", in: 0...project.duration) else { throw TimelineError(reader.at("start"), "is required") }
        guard start < project.duration else { throw TimelineError(reader.at("start"), "must be before the project's end (\(TimelineReader.text(project.duration)) s)") }
        let duration = try reader.number("duration", in: 0...3_600)
        if let duration, duration <= 0 { throw TimelineError(reader.at("duration"), "must be more than 0") }
        if duration == nil, kind == .image || kind == .text { throw TimelineError(reader.at("duration"), "is required on a\(kind == .image ? "n" : "") \(kind.rawValue) track") }
        let inPoint = try reader.number("in", in: 0...86_400) ?? 0
        if kind == .image || kind == .text, reader.has("in") { throw TimelineError(reader.at("in"), "applies to video and audio clips only") }
        let visual = kind != .audio
        let audible = kind == .video || kind == .audio
        for key in ["x", "y", "width", "height", "fit", "scale", "rotation", "opacity"] where !visual && reader.has(key) {
            throw TimelineError(reader.at(key), "has no meaning on an audio track")
        }
        if !audible, reader.has("volume") { throw TimelineError(reader.at("volume"), "applies to video and audio clips only") }
        if kind != .text, reader.has("style") { throw TimelineError(reader.at("style"), "applies to text clips only") }
        let width = try reader.number("width", in: 1...16_384).map { Int($0) } ?? project.width
        let height = try reader.number("height", in: 1...16_384).map { Int($0) } ?? project.height
        let length = duration ?? 3_600
        var clip = VideoClip(
            id: id, kind: kind, assetID: kind == .text ? nil : assetID, start: start, duration: duration, inPoint: inPoint,
            box: (Int(try reader.number("x", in: AnimatedProperty.x.range) ?? 0), Int(try reader.number("y", in: AnimatedProperty.y.range) ?? 0), width, height),
            fit: try reader.choice("fit", Fit.self) ?? .contain,
            x: Animated(0), y: Animated(0), scale: Animated(try reader.number("scale", in: AnimatedProperty.scale.range) ?? 1),
            rotation: Animated(try reader.number("rotation", in: AnimatedProperty.rotation.range) ?? 0),
            opacity: Animated(try reader.number("opacity", in: AnimatedProperty.opacity.range) ?? 1),
            volume: Animated(try reader.number("volume", in: AnimatedProperty.volume.range) ?? 1),
            fadeIn: try reader.number("fade_in", in: 0...length) ?? 0, fadeOut: try reader.number("fade_out", in: 0...length) ?? 0,
            text: kind == .text ? text : nil, style: try TextStyle.read(reader.object["style"], over: TextStyle(), at: reader.at("style")))
        clip.x = Animated(Double(clip.box.x))
        clip.y = Animated(Double(clip.box.y))
        if let duration, clip.fadeIn + clip.fadeOut > duration {
            throw TimelineError(reader.at("fade_out"), "and fade_in together must not be longer than the clip (\(TimelineReader.text(duration)) s)")
        }
        if reader.has("keyframes") {
            let keyframes = try TimelineReader(reader.object["keyframes"], at: reader.at("keyframes"))
            for (name, value) in keyframes.object.sorted(by: { $0.key < $1.key }) {
                guard let property = AnimatedProperty(rawValue: name) else {
                    throw TimelineError(keyframes.at(name), "is not a property keyframes animate (x, y, scale, rotation, opacity, volume)")
                }
                if property == .volume ? !audible : !visual {
                    throw TimelineError(keyframes.at(name), "has no meaning on a\(kind == .audio || kind == .image ? "n" : "") \(kind.rawValue) clip")
                }
                guard case .array(let items) = value, items.count <= 500 else { throw TimelineError(keyframes.at(name), "must be an array of at most 500 keyframes") }
                let animated = try Animated.read(items, property: property, base: clip[property].base, length: length, at: keyframes.at(name))
                clip[property] = animated
            }
        }
        return clip
    }

    public subscript(property: AnimatedProperty) -> Animated {
        get {
            switch property {
            case .x: x
            case .y: y
            case .scale: scale
            case .rotation: rotation
            case .opacity: opacity
            case .volume: volume
            }
        }
        set {
            switch property {
            case .x: x = newValue
            case .y: y = newValue
            case .scale: scale = newValue
            case .rotation: rotation = newValue
            case .opacity: opacity = newValue
            case .volume: volume = newValue
            }
        }
    }

    static func identifier(_ reader: TimelineReader, fallback: String) throws(TimelineError) -> String {
        // Without one, an id from its place ("tracks[1].clips[0]" is "tracks1-clips0"), kept from then on.
        guard let id = try reader.string("id", maxLength: 64) else {
            return String(fallback.replacingOccurrences(of: ".", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" })
        }
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw TimelineError(reader.at("id"), "must be letters, digits, '-' and '_'")
        }
        return id
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["id": .string(id), "start": .number(start), "fade_in": .number(fadeIn), "fade_out": .number(fadeOut)]
        if let assetID { object["asset_id"] = .string(assetID) }
        if let duration { object["duration"] = .number(duration) }
        if let text {
            object["text"] = .string(text)
            object["style"] = style.json
        }
        if kind == .video || kind == .audio {
            object["in"] = .number(inPoint)
            object["volume"] = .number(volume.base)
        }
        if kind != .audio {
            object["x"] = .number(x.base); object["y"] = .number(y.base)
            object["width"] = .number(Double(box.width)); object["height"] = .number(Double(box.height))
            object["fit"] = .string(fit.rawValue)
            for property in [AnimatedProperty.scale, .rotation, .opacity] { object[property.rawValue] = .number(self[property].base) }
        }
        var keyframes: [String: JSONValue] = [:]
        for property in AnimatedProperty.allCases where !self[property].keyframes.isEmpty {
            keyframes[property.rawValue] = .array(self[property].keyframes.map(\.json))
        }
        if !keyframes.isEmpty { object["keyframes"] = .object(keyframes) }
        return .object(object)
    }
}
