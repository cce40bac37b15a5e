import OzziRuntime
import VideoTimeline

/// The video-render worker, through the `VIDEO` service binding: media work the api does not do itself
/// (ffprobe, ffmpeg and transcription run there, on the bucket both bind).
struct VideoService: Sendable {
    let binding: ServiceBinding

    /// What ffprobe found in an object; 422 `not_media` (video-render's words) when it is not media.
    func probe(key: String) async throws -> JSONValue {
        let response = try await call("POST", "/probe", ["key": .string(key)])
        guard response.status == 200, let json = try? JSONValue(jsonBytes: response.bodyBytes) else { throw Self.refusal(response) }
        return json
    }

    /// The words spoken in an object's audio from `start` for `duration` seconds, times from `start`.
    func transcribe(key: String, start: Double, duration: Double?, language: String) async throws -> [Captions.Word] {
        var body: [String: JSONValue] = ["key": .string(key), "start": .number(start), "language": .string(language)]
        if let duration { body["duration"] = .number(duration) }
        let response = try await call("POST", "/transcribe", .object(body))
        guard response.status == 200, let json = try? JSONValue(jsonBytes: response.bodyBytes) else { throw Self.refusal(response) }
        return (json["words"]?.arrayValue ?? []).compactMap { word in
            guard let start = word["start"]?.numberValue, let end = word["end"]?.numberValue, let text = word["text"]?.stringValue else { return nil }
            return Captions.Word(start: start, end: end, text: text)
        }
    }

    /// Hands a render over; video-render answers 202 and reports back on its own.
    func render(_ body: JSONValue) async throws {
        let response = try await call("POST", "/renders", body)
        guard response.status == 202 else { throw Self.refusal(response) }
    }

    /// Stops a render there; false when video-render does not have it (already ended, or lost with its host).
    func cancel(renderID: String) async throws -> Bool {
        let response = try await call("DELETE", "/renders/\(renderID)", nil)
        return response.status == 204
    }

    private func call(_ method: String, _ path: String, _ body: JSONValue?) async throws -> Response {
        try await binding.fetch(Request(method: method, target: path, headers: body == nil ? [:] : ["content-type": "application/json"], body: body?.jsonBytes ?? []))
    }

    /// video-render's own error (already in the api's shape) passed on; anything else a 502.
    static func refusal(_ response: Response) -> APIError {
        let error = (try? JSONValue(jsonBytes: response.bodyBytes))?["error"]
        if (400..<500).contains(response.status), let code = error?["code"]?.stringValue, let message = error?["message"]?.stringValue {
            return APIError(status: response.status == 404 ? 422 : response.status, code: code, message: message, details: error?["details"])
        }
        return APIError(status: 502, code: "video_render_unavailable", message: "the video-render worker answered \(response.status)")
    }
}
