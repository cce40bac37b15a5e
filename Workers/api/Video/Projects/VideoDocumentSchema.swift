import OzziRuntime
import VideoTimeline

/// The project document's shape as the OpenAPI document publishes (and the api checks before
/// `VideoProject.read` checks what a shape cannot say: keyframes in time order, clips within the project,
/// fields that fit the track's kind).
enum VideoDocumentSchema {
    static let colour = Schema.string(pattern: "^#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?$").patternMeaning("a colour as #rrggbb or #rrggbbaa").example("#ffcc00")
    static let identifier = Schema.string(min: 1, max: 64, pattern: "^[A-Za-z0-9_-]+$").patternMeaning("letters, digits, '-' and '_'")

    static let easing = Schema.oneOf([
        Schema.oneOf(["linear", "ease-in", "ease-out", "ease-in-out"]),
        Schema.object([.required("cubic_bezier", Schema.array(Schema.number(-10...10), min: 4, max: 4)
            .described("[x1, y1, x2, y2] as CSS's cubic-bezier(); x1 and x2 from 0 to 1"))], closed: true),
    ]).described("How the value eases to the next keyframe (default linear)")

    static func keyframes(_ range: ClosedRange<Double>) -> Schema {
        Schema.array(Schema.object([
            .required("time", Schema.number(0...3_600).described("Seconds from the clip's start")),
            .required("value", Schema.number(range)),
            .optional("easing", easing),
        ], closed: true), max: 500).described("In time order")
    }

    static let style = Schema.object([
        .optional("font", Schema.oneOf(TextStyle.Font.allCases.map(\.rawValue))),
        .optional("size", Schema.number(4...800).described("Pixels")),
        .optional("color", colour),
        .optional("background", colour.nullable.described("A box behind the text (with alpha: #00000099)")),
        .optional("align", Schema.oneOf(TextStyle.Alignment.allCases.map(\.rawValue))),
    ], closed: true)

    static let clip = Schema.object([
        .optional("id", identifier),
        .optional("asset_id", Schema.string(min: 1, max: 64).described("An asset of the workspace (video, audio and image tracks)")),
        .optional("text", Schema.string(min: 1, max: 2_000).described("What a text track's clip shows")),
        .required("start", Schema.number(0...VideoProject.maxDuration).described("Seconds on the timeline")),
        .optional("duration", Schema.number(0...3_600).described("Seconds on the timeline (required for image and text; video and audio play to their end)")),
        .optional("in", Schema.number(0...86_400).described("Seconds into the asset where the clip starts (video, audio)")),
        .optional("x", Schema.number(-20_000...20_000).described("The box's left edge, in the frame's pixels")),
        .optional("y", Schema.number(-20_000...20_000).described("The box's top edge")),
        .optional("width", Schema.number(1...16_384).described("The box's width (default the frame's)")),
        .optional("height", Schema.number(1...16_384)),
        .optional("fit", Schema.oneOf(VideoClip.Fit.allCases.map(\.rawValue)).described("contain: all of the picture in the box; cover: the box filled, cropped")),
        .optional("scale", Schema.number(0...20).described("About the box's centre")),
        .optional("rotation", Schema.number(-3_600...3_600).described("Degrees, clockwise, about the box's centre")),
        .optional("opacity", Schema.number(0...1)),
        .optional("volume", Schema.number(0...4).described("Video and audio clips")),
        .optional("fade_in", Schema.number(0...3_600).described("Seconds")),
        .optional("fade_out", Schema.number(0...3_600)),
        .optional("style", style.described("Text clips")),
        .optional("keyframes", Schema.object(AnimatedProperty.allCases.map { .optional($0.rawValue, keyframes(range($0))) }, closed: true)
            .described("Per property, values at times from the clip's start; a property with keyframes follows them")),
    ], closed: true)

    static func range(_ property: AnimatedProperty) -> ClosedRange<Double> {
        switch property {
        case .x, .y: -20_000...20_000
        case .scale: 0...20
        case .rotation: -3_600...3_600
        case .opacity: 0...1
        case .volume: 0...4
        }
    }

    static let track = Schema.object([
        .optional("id", identifier),
        .required("kind", Schema.oneOf(VideoTrack.Kind.allCases.map(\.rawValue))),
        .optional("clips", Schema.array(clip, max: 200)),
    ], closed: true)

    static let span: [Property] = [.required("start", Schema.number(0...VideoProject.maxDuration)), .required("end", Schema.number(0...VideoProject.maxDuration))]

    static let captions = Schema.object([
        .optional("segments", Schema.array(Schema.object(span + [
            .required("text", Schema.string(min: 1, max: 500)),
            .optional("words", Schema.array(Schema.object(span + [.required("text", Schema.string(min: 1, max: 100))], closed: true), max: 500)),
        ], closed: true), max: 5_000).described("In time order, not overlapping")),
        .optional("style", style),
        .optional("burn", Schema.boolean.described("Drawn into the render (default true); else only exported as SRT and WebVTT")),
        .optional("margin_bottom", Schema.number(0...16_384).described("The captions' distance from the frame's bottom, in pixels")),
    ], closed: true)

    /// The document's fields (a project's body adds its name).
    static let fields: [Property] = [
        .optional("aspect_ratio", Schema.oneOf(AspectRatio.allCases.map(\.rawValue)).described("Default 16:9")),
        .optional("resolution", Schema.integer(360...1080).described("The short side's pixels: 360, 480, 720 or 1080 (default)")),
        .optional("fps", Schema.integer(24...60).described("24, 25, 30 (default), 50 or 60")),
        .optional("duration", Schema.number(0.1...VideoProject.maxDuration).described("Seconds (default 10)")),
        .optional("background", colour),
        .optional("tracks", Schema.array(track, max: 50).described("Stacked in order: the first at the bottom")),
        .optional("captions", captions.nullable),
    ]

    static let document = Schema.object(fields, closed: true)
}
