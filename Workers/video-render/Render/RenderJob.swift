import OzziRuntime
import VideoTimeline

/// A render the api asked for (`POST /renders`): the project as it stood, the bucket key of each asset it
/// uses, where the MP4 and its poster go, and how long ffmpeg may take.
struct RenderJob: Sendable {
    let id: String
    let project: VideoProject
    let assets: [String: String]
    let outputKey: String
    let posterKey: String
    let timeoutSeconds: Int

    init(body: JSONValue) throws {
        guard let id = body["render_id"]?.stringValue, !id.isEmpty, id.utf8.count <= 64,
              id.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) }) else {
            throw VideoError.invalid("render_id", "must be an id of letters, digits, '_' and '-'")
        }
        self.id = id
        do {
            project = try VideoProject.read(body["project"] ?? .null)
        } catch {
            throw VideoError.invalid("project." + error.path, error.message)
        }
        guard let assets = body["assets"]?.objectValue?.compactMapValues(\.stringValue) else { throw VideoError.invalid("assets", "must map asset ids to bucket keys") }
        self.assets = assets
        guard let output = body["output_key"]?.stringValue, let poster = body["poster_key"]?.stringValue else {
            throw VideoError.invalid("output_key", "output_key and poster_key are required")
        }
        outputKey = output
        posterKey = poster
        timeoutSeconds = Int(body["timeout_seconds"]?.numberValue ?? 1_800)
    }
}
