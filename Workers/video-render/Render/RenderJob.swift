import OzziRuntime
import VideoTimeline

/// A render the api asked for (`POST /renders`): the project as it stood, each asset it uses (its bucket
/// key, and what ffprobe found at upload), where the MP4 and its poster go, how hard the encoder works, and
/// how long ffmpeg may take.
struct RenderJob: Sendable {
    /// An asset given as its bucket key alone is probed before the render; given with its upload's probe
    /// (`{"key": ..., "probe": {...}}`), it is not probed again.
    struct Asset: Sendable, Equatable {
        let key: String
        let probe: MediaProbe?
    }

    let id: String
    let project: VideoProject
    let assets: [String: Asset]
    let outputKey: String
    let posterKey: String
    let timeoutSeconds: Int
    let quality: RenderQuality

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
        guard let assets = body["assets"]?.objectValue else { throw VideoError.invalid("assets", "must map asset ids to bucket keys") }
        self.assets = try assets.mapValues { value in
            if let key = value.stringValue { return Asset(key: key, probe: nil) }
            guard let key = value["key"]?.stringValue else { throw VideoError.invalid("assets", "each asset needs its bucket key") }
            return Asset(key: key, probe: value["probe"].flatMap(MediaProbe.init(json:)))
        }
        guard let output = body["output_key"]?.stringValue, let poster = body["poster_key"]?.stringValue else {
            throw VideoError.invalid("output_key", "output_key and poster_key are required")
        }
        outputKey = output
        posterKey = poster
        timeoutSeconds = Int(body["timeout_seconds"]?.numberValue ?? 1_800)
        if let name = body["quality"]?.stringValue {
            guard let quality = RenderQuality(rawValue: name) else {
                throw VideoError.invalid("quality", "must be one of " + RenderQuality.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.quality = quality
        } else {
            quality = .standard
        }
    }
}
