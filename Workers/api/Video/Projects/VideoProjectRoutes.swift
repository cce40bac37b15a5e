import OzziRuntime
import VideoTimeline

/// `/api/v1/video/projects`: a project's document (the frame, tracks of clips with keyframes, captions)
/// made, read, changed whole or in part (with `If-Match` to change only the version read), and deleted.
extension RouteGroup {
    func addVideoProjectRoutes(_ s: VideoDomain) {
        let ifMatch = Parameter.header("If-Match", Schema.string(min: 1).example("\"3\""),
                                       "Only if the project is still at this version (its etag, or *): else 412")

        list("", "Projects by id", tag: "video", of: .model(VideoProjectRecord.self), key: \.id, item: \.json) { _, _, principal, page in
            try await s.projects.list(principal.scope, page: page)
        }

        authed("POST", "", "Make a project: a frame (aspect ratio, resolution, frame rate), a length, and tracks of clips stacked in z-order. Errors name the clip and property",
               tag: "video", body: .json(Schema.object([.required("name", Schema.text(max: VideoProjectStore.nameLimit))] + VideoDocumentSchema.fields, closed: true)),
               answers: .json(.model(VideoProjectRecord.self)), success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            guard let name = try body.string("name", max: VideoProjectStore.nameLimit)?.trimmingPrefixAndSuffixSpaces(), !name.isEmpty else {
                throw APIError.invalidField("name", "is required")
            }
            let project = try VideoDomain.document(body, over: nil)
            let record = try await s.projects.create(principal.scope, name: String(name), project: project, createdBy: principal.userID)
            var response = Response.json(record.json, status: 201)
            response.headers["etag"] = record.etag
            return response
        }

        authed("GET", "/:id", "One project", tag: "video", answers: .json(.model(VideoProjectRecord.self))) { _, context, principal in
            guard let record = try await s.projects.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            var response = Response.json(record.json)
            response.headers["etag"] = record.etag
            return response
        }

        authed("PATCH", "/:id", "Change a project: the fields given replace the project's (`tracks` and `captions` whole); the rest stays",
               tag: "video", body: .json(Schema.object([.optional("name", Schema.text(max: VideoProjectStore.nameLimit))] + VideoDocumentSchema.fields, closed: true)),
               query: [ifMatch], answers: .json(.model(VideoProjectRecord.self))) { request, context, principal in
            let body = try JSONBody(request)
            let name = try body.string("name", max: VideoProjectStore.nameLimit)?.trimmingPrefixAndSuffixSpaces()
            if let name, name.isEmpty { throw APIError.invalidField("name", "must not be blank") }
            guard let current = try await s.projects.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            try VideoDomain.check(ifMatch: request.headers["if-match"], current)
            let project = try VideoDomain.document(body, over: current.project)
            guard let changed = try await s.projects.update(principal.scope, id: current.id, version: current.version, name: name.map(String.init), project: project) else {
                // Changed (or deleted) between the read and the write.
                guard let now = try await s.projects.get(principal.scope, id: current.id) else { throw APIError.notFound("project") }
                throw APIError.preconditionFailed("the project", etag: now.etag)
            }
            var response = Response.json(changed.json)
            response.headers["etag"] = changed.etag
            return response
        }

        remove("Delete a project with its renders", tag: "video", noun: "project") { principal, id in
            try await s.projects.delete(principal.scope, id: id)
        }
    }
}

extension VideoDomain {
    /// The document a body gives (its fields other than `name`), over `base` for a change.
    static func document(_ body: JSONBody, over base: VideoProject?) throws -> VideoProject {
        var fields = body.fields
        fields["name"] = nil
        do {
            return try VideoProject.read(.object(fields), over: base)
        } catch {
            throw APIError.invalidField(error.path, error.message)
        }
    }

    /// `If-Match`: absent or `*`, any version; else the project's own etag, or 412.
    static func check(ifMatch: String?, _ record: VideoProjectRecord) throws {
        guard let ifMatch = ifMatch?.trimmingPrefixAndSuffixSpaces(), !ifMatch.isEmpty, ifMatch != "*" else { return }
        let tag = ifMatch.hasPrefix("W/") ? String(ifMatch.dropFirst(2)) : String(ifMatch)
        guard tag == record.etag else { throw APIError.preconditionFailed("the project", etag: record.etag) }
    }
}
