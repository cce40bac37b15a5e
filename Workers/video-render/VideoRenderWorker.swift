import Glibc
import OzziRuntime

/// Renders video projects (tracks, keyframes, captions) to MP4 into a bucket, and does the api's other
/// media work: probing uploads, transcribing audio for captions. It owns no data: the api asks through its
/// `VIDEO` service binding (these routes are internal), the files are in the bucket both bind by name, and
/// renders report back through `API`.
///
/// - `POST /probe {key}`: what ffprobe says of an object (422 `not_media` when it is not media).
/// - `POST /renders {render_id, project, assets, output_key, poster_key, timeout_seconds}`: 202, rendered
///   in turn; progress and the outcome go to the api.
/// - `DELETE /renders/:id`: cancelled (ffmpeg killed), 204; 404 when not here.
/// - `POST /transcribe {key, start, duration, language}`: the words spoken in that part of an object's
///   audio, times from `start` (PocketSphinx offline, or Deepgram: `TRANSCRIPTION`).
/// - `GET /status`: renders waiting and running.
public struct VideoRenderWorker: RoutedWorker {
    public static let module = "video-render"
    public let router: Router
    let renders: RenderQueue

    public init(env: WorkerEnv) throws {
        WorkFolder.clear(env.dataDirectory)
        let media = MediaTools(bucket: try env.bucket("MEDIA"), commands: env.commands, dataDirectory: env.dataDirectory, clock: env.clock)
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let renders = RenderQueue(slots: Int(env.var("RENDER_CONCURRENCY", default: "\(cores)")) ?? cores, media: media,
                                  reporter: RenderReporter(api: try env.service("API"), logger: env.logger), logger: env.logger)
        let transcriber = try TranscriberConfig(env: env).transcriber
        var router = Router()
        router.get("/status") { _, _ in
            let (queued, rendering) = await renders.counts
            return .json(["worker": .string(env.name), "module": .string(Self.module), "status": "ok",
                          "renders_queued": .number(Double(queued)), "renders_running": .number(Double(rendering))] as JSONValue)
        }
        router.post("/probe", internal: true) { request, _ in
            guard let key = (try? JSONValue(jsonBytes: request.body))?["key"]?.stringValue else { throw VideoError.invalid("key", "is required") }
            let folder = try await WorkFolder.make(in: env.dataDirectory, job: "probe-" + Crypto.token(bytes: 9))
            defer { Task { await folder.remove() } }
            let path = try await folder.copy(key, from: media.bucket, as: "object")
            return .json(try await MediaProbe.probe(path, commands: media.commands).json)
        }
        router.post("/transcribe", internal: true) { request, _ in
            let body = try JSONValue(jsonBytes: request.body)
            guard let key = body["key"]?.stringValue else { throw VideoError.invalid("key", "is required") }
            let language = body["language"]?.stringValue ?? "en"
            let folder = try await WorkFolder.make(in: env.dataDirectory, job: "transcribe-" + Crypto.token(bytes: 9))
            defer { Task { await folder.remove() } }
            var path = try await folder.copy(key, from: media.bucket, as: "object")
            let start = max(0, body["start"]?.numberValue ?? 0), duration = body["duration"]?.numberValue
            if start > 0 || duration != nil {
                // Only the clip's part of the asset: its words' times then count from the clip's in point.
                let part = folder.path + "/part.wav"
                let cut = try await media.commands.run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-ss", String(start)] + (duration.map { ["-t", String($0)] } ?? [])
                                                        + ["-i", path, "-vn", "-ac", "1", "-c:a", "pcm_s16le", part], timeoutMilliseconds: 300_000,
                                                       priority: .background)
                guard cut.succeeded else { throw VideoError.notMedia("ffmpeg: " + RenderRun.lastLines(cut.stderr, count: 1)) }
                path = part
            }
            let words = try await transcriber.transcribe(audioFile: path, language: language)
            return .json(["words": .array(words.map { ["start": .number($0.start), "end": .number($0.end), "text": .string($0.text)] })] as JSONValue)
        }
        router.post("/renders", internal: true) { request, _ in
            let job = try RenderJob(body: try JSONValue(jsonBytes: request.body))
            let (state, position) = await renders.submit(job)
            return .json(["render_id": .string(job.id), "state": .string(state.rawValue), "position": .number(Double(position))] as JSONValue, status: 202)
        }
        router.add("DELETE", "/renders/:id", internal: true) { _, context in
            guard await renders.cancel(context.parameter("id")) else { throw VideoError.missing("render of that id here") }
            return Response(status: 204)
        }
        self.router = router
        self.renders = renders
    }

    public func services(context: WorkerServiceContext) -> [any Service] {
        [RenderShutdown(renders: renders)]
    }
}

/// Stops the renders when the host stops.
struct RenderShutdown: Service {
    let renders: RenderQueue

    func run() async throws {
        try? await gracefulShutdown()
        await renders.stopAll()
    }
}
