import Logging
import OzziRuntime
import VideoTimeline

/// One render from start to end: the project's assets copied out of the bucket (probed, unless the upload's
/// probe came with them), the render plan (one ffmpeg filter graph, writing the MP4 and its poster) run
/// with its progress reported, both put into the bucket. Cancelling the task kills ffmpeg.
struct RenderRun: Sendable {
    let job: RenderJob
    let media: MediaTools
    let reporter: RenderReporter
    let logger: Logger

    func run() async -> RenderOutcome {
        let folder: WorkFolder
        do { folder = try await WorkFolder.make(in: media.dataDirectory, job: job.id) } catch {
            return .failed(code: "internal", message: "no work folder: \(error)")
        }
        defer { Task { await folder.remove() } }
        do {
            try Task.checkCancellation()
            var inputs: [String: RenderInput] = [:]
            for (index, assetID) in job.project.assetIDs.enumerated() {
                guard let asset = job.assets[assetID] else { return .failed(code: "asset_missing", message: "asset \(assetID) was not given") }
                let path = try await folder.copy(asset.key, from: media.bucket, as: "asset-\(index)")
                let probe: MediaProbe
                if let known = asset.probe { probe = known } else { probe = try await MediaProbe.probe(path, commands: media.commands) }
                inputs[assetID] = RenderInput(path: path, kind: RenderInput.Kind(rawValue: probe.kind.rawValue) ?? .video, duration: probe.duration,
                                              hasVideo: probe.hasVideo, hasAudio: probe.hasAudio, width: probe.width, height: probe.height)
            }
            let output = folder.path + "/render.mp4", poster = folder.path + "/poster.jpg"
            let plan = try RenderPlan.make(project: job.project, inputs: inputs, output: output, poster: poster, quality: job.quality,
                                           workDirectory: folder.path)
            for file in plan.files { try await folder.write(file.path, file.contents) }
            try await render(plan)
            let made = try await MediaProbe.probe(output, commands: media.commands)
            let outputObject = try await folder.upload("render.mp4", to: media.bucket, key: job.outputKey, contentType: "video/mp4")
            let posterObject = try await folder.upload("poster.jpg", to: media.bucket, key: job.posterKey, contentType: "image/jpeg")
            return .succeeded(output: outputObject, poster: posterObject, duration: made.duration ?? job.project.duration,
                              width: made.width ?? job.project.size.width, height: made.height ?? job.project.size.height)
        } catch is CancellationError {
            return .cancelled
        } catch CommandError.cancelled {
            return .cancelled
        } catch CommandError.timedOut(_, let milliseconds) {
            return .failed(code: "timed_out", message: "ffmpeg ran over \(milliseconds / 1000) s and was stopped")
        } catch let error as TimelineError {
            return .failed(code: "invalid_project", message: error.description)
        } catch let error as RenderFailure {
            return .failed(code: "ffmpeg_failed", message: error.message)
        } catch let error as HTTPError {
            return .failed(code: error.code, message: error.message)
        } catch {
            return .failed(code: "internal", message: "\(error)")
        }
    }

    /// Runs the plan's ffmpeg, reporting how far it is at most twice a second.
    private func render(_ plan: RenderPlan) async throws {
        let duration = job.project.duration
        let progress = ProgressThrottle(clock: media.clock)
        let id = job.id, reporter = reporter
        let result = try await media.commands.run("ffmpeg", plan.arguments, timeoutMilliseconds: job.timeoutSeconds * 1000, maxOutputBytes: 256 << 20,
                                                  priority: .background) { chunk in
            guard let seconds = progress.feed(chunk) else { return }
            Task { await reporter.progress(id, state: "rendering", fraction: min(0.99, seconds / duration)) }
        }
        guard result.succeeded else { throw RenderFailure(message: Self.lastLines(result.stderr)) }
    }

    /// ffmpeg's error: its last lines (it says what went wrong last).
    static func lastLines(_ stderr: [UInt8], count: Int = 6) -> String {
        let lines = String(decoding: stderr, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let text = lines.suffix(count).joined(separator: "\n")
        return text.isEmpty ? "ffmpeg failed without a message" : String(text.prefix(2_000))
    }
}

struct RenderFailure: Error {
    let message: String
}
