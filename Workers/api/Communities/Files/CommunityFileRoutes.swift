import OzziRuntime

/// Files in a channel: upload one (attach permission), then post it with a message (`file_ids`); download
/// one that was posted (or one's own upload).
extension RouteGroup {
    func addCommunityFileRoutes(_ s: CommunitiesDomain) {
        authed("POST", "/:id/channels/:channel_id/files",
               "Upload a file (the body, its media type as Content-Type, up to 25 MiB) to post with a message by its id; unposted, it is deleted after a day",
               tag: "communities", body: .file(maxBytes: CommunityFile.maxBytes),
               query: [.query("name", Schema.string(min: 1, max: 255).example("route-map.pdf"), required: true, "The file's name"),
                       .query("description", Schema.string(max: 1000), "What it is (alt text, a caption); searchable with the name")],
               answers: .json(.model(CommunityFile.self)), success: 201, streamBody: CommunityFile.maxBytes) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            try access.require(.attach, in: row.channel, to: "attach files here")
            guard let name = CommunityFile.cleanName(request.queryParameter("name") ?? "") else {
                throw APIError.invalidField("name", "must have a character that is not a control character, a slash or a quote")
            }
            let file = try await s.files.upload(access, row.channel, name: name, contentType: CommunityFile.mediaType(request.headers["content-type"]),
                                                description: request.queryParameter("description") ?? "", body: request.bodyChunks())
            return .json(file, status: 201)
        }

        authed("GET", "/:id/channels/:channel_id/files/:file_id", "Download a file posted in the channel (or one's own upload), as an attachment",
               tag: "communities", answers: .file(mediaTypes: ["application/octet-stream"])) { request, context, principal in
            let access = try await s.member(principal, context.parameter("id"))
            let row = try await s.channel(access, context.parameter("channel_id"))
            guard let (file, key) = try await s.files.get(access, row.channel, id: context.parameter("file_id")),
                  let response = try await BucketDownload.response(s.files.bucket, key: key, request: request, headers: [
                      "content-disposition": file.contentDisposition, "cache-control": "private, max-age=3600",
                      // Served from the api's own origin: never run as a page, never sniffed into one.
                      "x-content-type-options": "nosniff", "content-security-policy": "sandbox; default-src 'none'",
                  ]) else { throw APIError.notFound("file") }
            return response
        }
    }

    /// `file_ids` of a post's body: at most ten, each once.
    static let fileIDsField = Schema.array(Schema.string(min: 1, max: 64), max: CommunityFile.perMessage)
        .described("Uploads of the caller's in this channel to post with it (attach permission)")
}

extension JSONBody {
    /// The distinct `file_ids`, in order.
    func fileIDs() throws -> [String] {
        guard let given = fields["file_ids"], given.arrayValue?.isEmpty != true else { return [] }
        var seen = Set<String>()
        return try ids("file_ids").filter { seen.insert($0).inserted }
    }
}
