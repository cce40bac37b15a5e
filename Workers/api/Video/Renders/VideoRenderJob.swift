import OzziRuntime

/// Hands (or, after a lost render, hands again) a render to video-render.
struct VideoRenderJob: QueueJob {
    static let kind = "video_render"
    let renderID: String

    init(renderID: String) { self.renderID = renderID }
    init(_ payload: JobPayload) throws(JobPayloadError) { renderID = try payload.string("render_id") }
    var fields: [String: JSONValue] { ["render_id": .string(renderID)] }
}
