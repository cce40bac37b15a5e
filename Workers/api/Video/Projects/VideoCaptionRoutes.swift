import OzziRuntime
import VideoTimeline

/// A project's captions: made from a clip's speech (transcribed by video-render: PocketSphinx offline, or
/// Deepgram), then edited like the rest of the document (`PATCH` with `captions`), and exported as SRT or
/// WebVTT.
extension RouteGroup {
    func addVideoCaptionRoutes(_ s: VideoDomain) {
        authed("POST", "/:id/captions", "Caption the project from a clip's speech: its words, timed on the project's timeline, grouped into lines. They replace the project's captions (style and burn kept)",
               tag: "video", body: .json(Schema.object([
                   .optional("clip_id", Schema.string(min: 1, max: 64).described("A video or audio clip with sound (default: the first)")),
                   .optional("language", Schema.string(min: 2, max: 35, pattern: "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$").patternMeaning("a language tag such as en or en-US").example("en-US")
                       .described("What is spoken (default en; offline transcription knows English only)")),
               ], closed: true)), answers: .json(.model(VideoProjectRecord.self))) { request, context, principal in
            let body = try JSONBody(optional: request)
            guard let record = try await s.projects.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            let project = record.project
            let (clip, asset) = try await s.spoken(principal.scope, project, clipID: try body.string("clip_id", max: 64))
            // The clip's part of the asset: from its in point, as long as it plays (within the project).
            let length = min(clip.duration ?? max(0, (asset.duration ?? 0) - clip.inPoint), project.duration - clip.start)
            let words = try await s.service.transcribe(key: VideoAsset.bucketKey(workspace: principal.scope.workspaceID, id: asset.id), start: clip.inPoint,
                                                       duration: length, language: try body.string("language", max: 35) ?? "en")
            let placed = words.compactMap { word -> Captions.Word? in
                let start = clip.start + word.start, end = min(clip.start + word.end, project.duration)
                return start < project.duration && end > start ? Captions.Word(start: start, end: end, text: word.text) : nil
            }
            var changed = project
            changed.captions = Captions(segments: CaptionLines().segments(placed), style: project.captions?.style ?? Captions.defaultStyle,
                                        burn: project.captions?.burn ?? true, marginBottom: project.captions?.marginBottom ?? project.size.height / 12)
            guard let saved = try await s.projects.update(principal.scope, id: record.id, version: record.version, name: nil, project: changed) else {
                throw APIError.conflict("the project changed while its clip was transcribed; ask again")
            }
            var response = Response.json(saved.json)
            response.headers["etag"] = saved.etag
            return response
        }

        for (format, type) in [("srt", "application/x-subrip"), ("vtt", "text/vtt")] {
            authed("GET", "/:id/captions.\(format)", "The project's captions as \(format == "srt" ? "SubRip (SRT)" : "WebVTT")", tag: "video",
                   answers: .text(mediaType: type)) { _, context, principal in
                guard let record = try await s.projects.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
                let segments = record.project.captions?.segments ?? []
                var response = Response.text(format == "srt" ? CaptionFiles.srt(segments) : CaptionFiles.webVTT(segments))
                response.headers["content-type"] = type + "; charset=utf-8"
                response.headers["content-disposition"] = "attachment; filename=\"\(record.id).\(format)\""
                return response
            }
        }
    }
}

extension VideoDomain {
    /// The clip to caption and its asset: the one named, or the first video or audio clip whose asset has sound.
    func spoken(_ scope: TenantScope, _ project: VideoProject, clipID: String?) async throws -> (VideoClip, VideoAsset) {
        let clips = project.tracks.filter { $0.kind == .video || $0.kind == .audio }.flatMap(\.clips)
        if let clipID {
            guard let clip = project.tracks.flatMap(\.clips).first(where: { $0.id == clipID }) else { throw APIError.invalidField("clip_id", "names no clip of the project") }
            guard clips.contains(where: { $0.id == clipID }), let assetID = clip.assetID, let asset = try await assets.get(scope, id: assetID), asset.has_audio else {
                throw APIError.invalidField("clip_id", "names a clip without sound")
            }
            return (clip, asset)
        }
        for clip in clips {
            if let assetID = clip.assetID, let asset = try await assets.get(scope, id: assetID), asset.has_audio { return (clip, asset) }
        }
        throw APIError.invalidField("clip_id", "the project has no clip with sound to caption")
    }
}
