import OzziRuntime

/// A refusal of the video-render worker, in the api's error shape (the api passes it on).
struct VideoError: HTTPError {
    let status: Int
    let code: String
    let message: String
    var details: JSONValue? = nil
    var headers: HTTPHeaders = [:]

    static func invalid(_ field: String, _ problem: String) -> VideoError {
        VideoError(status: 422, code: "invalid_field", message: "\(field) \(problem)", details: ["field": .string(field)])
    }

    static func notMedia(_ reason: String) -> VideoError {
        VideoError(status: 422, code: "not_media", message: "not a media file this renderer can decode: \(reason)")
    }

    static func missing(_ what: String) -> VideoError {
        VideoError(status: 404, code: "not_found", message: "no \(what)")
    }
}
