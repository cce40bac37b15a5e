import OzziRuntime

/// An uploaded piece of media a project's clips use: its bytes in the FILES bucket (which video-render
/// binds too), and what ffprobe found in it.
struct VideoAsset: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let kind: String
    let content_type: String
    let size: Int
    let duration: Double?
    let width: Int?
    let height: Int?
    let has_video: Bool
    let has_audio: Bool
    let created_at: String

    enum CodingKeys: String, SQLColumn {
        case id, name, kind, content_type, size, duration, width, height, has_video, has_audio, created_at
    }
    typealias Columns = CodingKeys

    static let select = "SELECT \(selection) FROM video_assets"
    static let maxBytes = 512 << 20
    static let kinds = ["video", "audio", "image"]

    static func bucketKey(workspace: String, id: String) -> String { "video/\(workspace)/assets/\(id)" }
}

extension VideoAsset: APIModel {
    static let schemaName = "VideoAsset"
    static let schema = Schema.object([
        .required("id", Schema.string().example("vast_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("intro.mp4")),
        .required("kind", Schema.oneOf(kinds).described("What ffprobe found: a video (moving pictures, maybe sound), audio only, or a still image")),
        .required("content_type", .string()),
        .required("size", Schema.integer().described("Bytes")),
        .optional("duration", Schema.number().described("Seconds; absent for an image")),
        .optional("width", Schema.integer().described("Pixels; absent for audio")),
        .optional("height", Schema.integer()),
        .required("has_video", .boolean),
        .required("has_audio", .boolean),
        .required("created_at", .timestamp),
    ], closed: true)
}
