import OzziRuntime

/// A row of the timeline: clips of one kind. Tracks stack in the order listed, the first at the bottom.
public struct VideoTrack: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case video, audio, image, text
    }

    public var id: String
    public var kind: Kind
    public var clips: [VideoClip]

    static func read(_ value: JSONValue, at path: String, project: ProjectFrame) throws(TimelineError) -> VideoTrack {
        let reader = try TimelineReader(value, at: path)
        try reader.only(["id", "kind", "clips"])
        guard let kind = try reader.choice("kind", Kind.self) else { throw TimelineError(reader.at("kind"), "is required") }
        let id = try VideoClip.identifier(reader, fallback: path)
        var clips: [VideoClip] = []
        for (index, item) in (try reader.array("clips", max: 200) ?? []).enumerated() {
            clips.append(try VideoClip.read(item, at: reader.at("clips") + "[\(index)]", kind: kind, project: project))
        }
        return VideoTrack(id: id, kind: kind, clips: clips)
    }

    var json: JSONValue {
        ["id": .string(id), "kind": .string(kind.rawValue), "clips": .array(clips.map(\.json))]
    }
}

/// What a clip is checked against: the project's frame and length.
struct ProjectFrame {
    let width: Int
    let height: Int
    let duration: Double
}
