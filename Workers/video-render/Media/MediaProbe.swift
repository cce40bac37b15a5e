import OzziRuntime

/// What ffprobe says of a file: whether it is media we can decode, its kind and length, its picture's size
/// and which streams it has. A file ffprobe cannot read, or one with no audio or video stream, is not media.
struct MediaProbe: Sendable, Equatable {
    enum Kind: String, Sendable { case video, audio, image }

    let kind: Kind
    let duration: Double?
    let width: Int?
    let height: Int?
    let hasVideo: Bool
    let hasAudio: Bool
    let format: String

    /// Image codecs ffmpeg reads as a single still picture.
    static let imageCodecs: Set<String> = ["png", "mjpeg", "webp", "gif", "bmp", "tiff", "ppm", "pgm", "pbm", "pam"]

    static func probe(_ path: String, commands: CommandRunner) async throws -> MediaProbe {
        let result = try await commands.run("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", path],
                                            timeoutMilliseconds: 60_000, maxOutputBytes: 4 << 20)
        guard result.succeeded, let json = try? JSONValue(jsonBytes: result.stdout) else {
            throw VideoError.notMedia(Self.reason(result.stderr))
        }
        return try read(json)
    }

    /// Reads ffprobe's JSON (`-show_format -show_streams -of json`).
    static func read(_ json: JSONValue) throws -> MediaProbe {
        let streams = json["streams"]?.arrayValue ?? []
        let format = json["format"]?["format_name"]?.stringValue ?? ""
        let video = streams.first { $0["codec_type"]?.stringValue == "video" && $0["disposition"]?["attached_pic"]?.numberValue != 1 }
        let audio = streams.first { $0["codec_type"]?.stringValue == "audio" }
        guard video != nil || audio != nil else { throw VideoError.notMedia("it has no audio or video stream") }
        let duration = (json["format"]?["duration"]?.stringValue).flatMap(Double.init) ?? (video?["duration"]?.stringValue).flatMap(Double.init)
        let codec = video?["codec_name"]?.stringValue ?? ""
        // A still: an image codec in an image container (a one-frame PNG; an animated GIF plays as video).
        let still = video != nil && audio == nil && imageCodecs.contains(codec)
            && (format.hasSuffix("_pipe") || format == "image2" || (codec == "gif" && (Int(video?["nb_frames"]?.stringValue ?? "") ?? 2) <= 1))
        let kind: Kind = still ? .image : video != nil ? .video : .audio
        if kind != .image, (duration ?? 0) <= 0 { throw VideoError.notMedia("it has no length") }
        return MediaProbe(kind: kind, duration: kind == .image ? nil : duration, width: video?["width"]?.numberValue.map { Int($0) },
                          height: video?["height"]?.numberValue.map { Int($0) }, hasVideo: video != nil, hasAudio: audio != nil, format: format)
    }

    /// ffprobe's own words, its last line without the path it was given.
    static func reason(_ stderr: [UInt8]) -> String {
        let lines = String(decoding: stderr, as: UTF8.self).split(separator: "\n").map { String($0) }
        guard let last = lines.last(where: { !$0.isEmpty }) else { return "ffprobe could not read it" }
        let text = last.split(separator: ":", maxSplits: 1).count == 2 && last.hasPrefix("/") ? String(last.split(separator: ":", maxSplits: 1)[1]) : last
        return "ffprobe: " + text.trimmingCharacters(in: .whitespaces)
    }

    var json: JSONValue {
        ["kind": .string(kind.rawValue), "duration": duration.map { .number($0) } ?? .null, "width": width.map { .number(Double($0)) } ?? .null,
         "height": height.map { .number(Double($0)) } ?? .null, "has_video": .bool(hasVideo), "has_audio": .bool(hasAudio), "format": .string(format)]
    }
}

extension MediaProbe {
    /// A probe as `json` wrote it (or as the api keeps an upload's); nil when it is not one.
    init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)), let hasVideo = json["has_video"]?.boolValue,
              let hasAudio = json["has_audio"]?.boolValue else { return nil }
        self.init(kind: kind, duration: json["duration"]?.numberValue, width: json["width"]?.numberValue.map { Int($0) },
                  height: json["height"]?.numberValue.map { Int($0) }, hasVideo: hasVideo, hasAudio: hasAudio, format: json["format"]?.stringValue ?? "")
    }
}
