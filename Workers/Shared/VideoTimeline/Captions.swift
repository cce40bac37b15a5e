import OzziRuntime

/// Timed lines of text (each with its words' times when a transcription gave them), styled, and either
/// burned into the picture or kept apart for SRT and WebVTT.
public struct Captions: Sendable, Equatable {
    public struct Word: Sendable, Equatable {
        public var start: Double, end: Double, text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    public struct Segment: Sendable, Equatable {
        public var start: Double, end: Double, text: String, words: [Word]

        public init(start: Double, end: Double, text: String, words: [Word] = []) {
            self.start = start
            self.end = end
            self.text = text
            self.words = words
        }
    }

    public var segments: [Segment]
    public var style: TextStyle
    /// Drawn into the render's picture (else only exported).
    public var burn: Bool
    /// The captions' band: its distance from the bottom of the frame, in pixels.
    public var marginBottom: Int

    public init(segments: [Segment], style: TextStyle = Captions.defaultStyle, burn: Bool = true, marginBottom: Int) {
        self.segments = segments
        self.style = style
        self.burn = burn
        self.marginBottom = marginBottom
    }

    public static let defaultStyle: TextStyle = {
        var style = TextStyle()
        style.size = 56
        style.background = Color(red: 0, green: 0, blue: 0, alpha: 160)
        return style
    }()

    static func read(_ value: JSONValue?, at path: String, project: ProjectFrame) throws(TimelineError) -> Captions? {
        guard let value, value != .null else { return nil }
        let reader = try TimelineReader(value, at: path)
        try reader.only(["segments", "style", "burn", "margin_bottom"])
        var segments: [Segment] = []
        for (index, item) in (try reader.array("segments", max: 5_000) ?? []).enumerated() {
            let segment = try TimelineReader(item, at: reader.at("segments") + "[\(index)]")
            try segment.only(["start", "end", "text", "words"])
            let (start, end) = try span(segment, within: project.duration)
            guard let text = try segment.string("text", maxLength: 500), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw TimelineError(segment.at("text"), "is required")
            }
            if let previous = segments.last, start < previous.end {
                throw TimelineError(segment.at("start"), "overlaps the segment before it (which ends at \(TimelineReader.text(previous.end)) s)")
            }
            var words: [Word] = []
            for (wordIndex, wordItem) in (try segment.array("words", max: 500) ?? []).enumerated() {
                let word = try TimelineReader(wordItem, at: segment.at("words") + "[\(wordIndex)]")
                try word.only(["start", "end", "text"])
                let (wordStart, wordEnd) = try span(word, within: project.duration)
                guard let text = try word.string("text", maxLength: 100), !text.isEmpty else { throw TimelineError(word.at("text"), "is required") }
                words.append(Word(start: wordStart, end: wordEnd, text: text))
            }
            segments.append(Segment(start: start, end: end, text: text, words: words))
        }
        return Captions(segments: segments, style: try TextStyle.read(reader.object["style"], over: defaultStyle, at: reader.at("style")),
                        burn: try reader.bool("burn") ?? true,
                        marginBottom: Int(try reader.number("margin_bottom", in: 0...Double(project.height)) ?? Double(project.height) / 12))
    }

    private static func span(_ reader: TimelineReader, within duration: Double) throws(TimelineError) -> (Double, Double) {
        guard let start = try reader.number("start", in: 0...duration) else { throw TimelineError(reader.at("start"), "is required") }
        guard let end = try reader.number("end", in: 0...duration) else { throw TimelineError(reader.at("end"), "is required") }
        guard end > start else { throw TimelineError(reader.at("end"), "must be after start") }
        return (start, end)
    }

    var json: JSONValue {
        ["segments": .array(segments.map { segment in
            ["start": .number(segment.start), "end": .number(segment.end), "text": .string(segment.text),
             "words": .array(segment.words.map { ["start": .number($0.start), "end": .number($0.end), "text": .string($0.text)] })]
        }), "style": style.json, "burn": .bool(burn), "margin_bottom": .number(Double(marginBottom))]
    }
}
