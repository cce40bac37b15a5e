import OzziRuntime
import VideoTimeline

/// A render of a project as it stood when asked: queued, rendering (with its progress), then succeeded
/// (the MP4 and its poster downloadable), failed (ffmpeg's error kept) or cancelled.
struct VideoRender: SQLRecord, Sendable {
    let id: String
    let project_id: String
    let project_version: Int
    let status: String
    let quality: String
    let progress: Double
    let error_code: String?
    let error_message: String?
    let output_size: Int?
    let duration: Double?
    let width: Int?
    let height: Int?
    let attempts: Int
    let created_at: String
    let started_at: String?
    let finished_at: String?

    enum Columns: String, SQLColumn {
        case id, project_id, project_version, status, quality, progress, error_code, error_message, output_size, duration, width, height, attempts, created_at,
             started_at, finished_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        project_id = try row.decode(String.self, forKey: .project_id)
        project_version = try row.decode(Int.self, forKey: .project_version)
        status = try row.decode(String.self, forKey: .status)
        quality = try row.decode(String.self, forKey: .quality)
        progress = try row.decode(Double.self, forKey: .progress)
        error_code = try row.decodeIfPresent(String.self, forKey: .error_code)
        error_message = try row.decodeIfPresent(String.self, forKey: .error_message)
        output_size = try row.decodeIfPresent(Int.self, forKey: .output_size)
        duration = try row.decodeIfPresent(Double.self, forKey: .duration)
        width = try row.decodeIfPresent(Int.self, forKey: .width)
        height = try row.decodeIfPresent(Int.self, forKey: .height)
        attempts = try row.decode(Int.self, forKey: .attempts)
        created_at = try row.decode(String.self, forKey: .created_at)
        started_at = try row.decodeIfPresent(String.self, forKey: .started_at)
        finished_at = try row.decodeIfPresent(String.self, forKey: .finished_at)
    }

    static let select = "SELECT \(selection) FROM video_renders"
    static let statuses = ["queued", "rendering", "succeeded", "failed", "cancelled"]
    static let live = ["queued", "rendering"]

    var isLive: Bool { Self.live.contains(status) }

    static func outputKey(workspace: String, id: String) -> String { "video/\(workspace)/renders/\(id).mp4" }
    static func posterKey(workspace: String, id: String) -> String { "video/\(workspace)/renders/\(id).jpg" }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "project_id": .string(project_id), "project_version": .number(Double(project_version)), "status": .string(status),
            "quality": .string(quality), "progress": .number(progress), "attempts": .number(Double(attempts)), "created_at": .string(created_at),
            "started_at": started_at.map { .string($0) } ?? .null, "finished_at": finished_at.map { .string($0) } ?? .null,
        ]
        object["error"] = error_code.map { ["code": .string($0), "message": .string(error_message ?? "")] } ?? .null
        if status == "succeeded", let output_size {
            object["output"] = ["size": .number(Double(output_size)), "duration": duration.map { .number($0) } ?? .null,
                                "width": width.map { .number(Double($0)) } ?? .null, "height": height.map { .number(Double($0)) } ?? .null,
                                "video_url": .string("/api/v1/video/renders/\(id)/video"), "poster_url": .string("/api/v1/video/renders/\(id)/poster")]
        } else {
            object["output"] = .null
        }
        return .object(object)
    }
}

extension VideoRender: APIModel {
    static let schemaName = "VideoRender"
    static let schema = Schema.object([
        .required("id", Schema.string().example("vrnd_01jd3k5v7n0000000000000000")),
        .required("project_id", .string()),
        .required("project_version", Schema.integer(min: 1).described("The version of the project rendered")),
        .required("status", Schema.oneOf(statuses)),
        .required("quality", Schema.oneOf(RenderQuality.allCases.map(\.rawValue))
            .described("How hard the encoder works: draft (fastest, largest, for a look), standard, or high (slowest, smallest)")),
        .required("progress", Schema.number(0...1).described("From ffmpeg's progress: the share of the video written")),
        .required("error", Schema.object([.required("code", .string()), .required("message", Schema.string().described("ffmpeg's own error, for a failed render"))],
                                         closed: true).nullable),
        .required("output", Schema.object([
            .required("size", Schema.integer().described("Bytes of the MP4 (H.264 and AAC, faststart)")),
            .required("duration", Schema.number().nullable), .required("width", Schema.integer().nullable), .required("height", Schema.integer().nullable),
            .required("video_url", .string()), .required("poster_url", .string()),
        ], closed: true).nullable.described("Once succeeded")),
        .required("attempts", Schema.integer(min: 0)),
        .required("created_at", .timestamp),
        .required("started_at", Schema.timestamp.nullable),
        .required("finished_at", Schema.timestamp.nullable),
    ], closed: true)
}
