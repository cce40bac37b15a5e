import OzziRuntime
import VideoTimeline

/// A stored project: its name and document, at a version (its etag) that each change moves on.
struct VideoProjectRecord: SQLRecord, Sendable {
    let id: String
    let name: String
    let project: VideoProject
    let version: Int
    let created_at: String
    let updated_at: String

    enum Columns: String, SQLColumn { case id, name, document, version, created_at, updated_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        name = try row.decode(String.self, forKey: .name)
        project = try VideoProject.read(try JSONValue(jsonBytes: Array(try row.decode(String.self, forKey: .document).utf8)))
        version = try row.decode(Int.self, forKey: .version)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
    }

    static let select = "SELECT \(selection) FROM video_projects"

    var etag: String { "\"\(version)\"" }

    var json: JSONValue {
        let size = project.size
        return ["id": .string(id), "name": .string(name), "version": .number(Double(version)), "document": project.json,
                "width": .number(Double(size.width)), "height": .number(Double(size.height)),
                "created_at": .string(created_at), "updated_at": .string(updated_at)]
    }
}

extension VideoProjectRecord: APIModel {
    static let schemaName = "VideoProject"
    static let schema = Schema.object([
        .required("id", Schema.string().example("vprj_01jd3k5v7n0000000000000000")),
        .required("name", .string()),
        .required("version", Schema.integer(min: 1).described("Moves on with each change; the ETag")),
        .required("document", VideoDocumentSchema.document.described("The project with every default filled in")),
        .required("width", Schema.integer().described("The frame's pixels, from the aspect ratio and resolution")),
        .required("height", .integer()),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}
