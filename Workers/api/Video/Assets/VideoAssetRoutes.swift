import OzziRuntime

/// `/api/v1/video/assets`: media uploaded for projects (the body as it comes, up to 512 MiB), probed by
/// video-render; listed, read, downloaded, deleted.
extension RouteGroup {
    func addVideoAssetRoutes(_ s: VideoDomain) {
        list("", "Assets by id", tag: "video", of: .model(VideoAsset.self),
             filters: [.query("kind", Schema.oneOf(VideoAsset.kinds), "Only this kind")], key: \.id) { request, _, principal, page in
            try await s.assets.list(principal.scope, kind: request.queryParameter("kind"), page: page)
        }

        authed("POST", "", "Upload a video, audio file or still image (the body, its media type as Content-Type). It is probed with ffprobe: a file that is not decodable media is refused (422 not_media)",
               tag: "video", body: .file(maxBytes: VideoAsset.maxBytes),
               query: [.query("name", Schema.string(min: 1, max: 255).example("intro.mp4"), required: true, "The file's name")],
               answers: .json(.model(VideoAsset.self)), success: 201, streamBody: VideoAsset.maxBytes) { request, _, principal in
            guard let name = CommunityFile.cleanName(request.queryParameter("name") ?? "") else {
                throw APIError.invalidField("name", "must have a character that is not a control character, a slash or a quote")
            }
            let asset = try await s.assets.upload(principal.scope, name: name, contentType: CommunityFile.mediaType(request.headers["content-type"]),
                                                  body: request.bodyChunks(), createdBy: principal.userID)
            return .json(asset, status: 201)
        }

        one("One asset, with what ffprobe found in it", tag: "video", noun: "asset", answers: .model(VideoAsset.self)) { try await s.assets.get($0, id: $1) }

        authed("GET", "/:id/content", "The asset's bytes (ranges honoured)", tag: "video",
               answers: .file(mediaTypes: ["video/mp4", "audio/mpeg", "image/png", "application/octet-stream"])) { request, context, principal in
            guard let asset = try await s.assets.get(principal.scope, id: context.parameter("id")),
                  let response = try await BucketDownload.response(s.assets.bucket, key: VideoAsset.bucketKey(workspace: principal.scope.workspaceID, id: asset.id),
                                                                   request: request, headers: VideoDomain.downloadHeaders) else {
                throw APIError.notFound("asset")
            }
            return response
        }

        remove("Delete an asset no project uses (409 names a project that does)", tag: "video", noun: "asset") { principal, id in
            try await s.assets.delete(principal.scope, id: id)
        }
    }
}
