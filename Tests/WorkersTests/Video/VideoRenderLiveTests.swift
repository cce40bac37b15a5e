import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Video end to end on a live host: media uploaded to the api (probed by video-render through the VIDEO
/// binding, a file that is not media refused), projects checked with errors that name the clip and the
/// property, renders in each aspect ratio checked with ffprobe and by their pixels (a keyframed image where
/// its keyframes put it, a caption in its band at its time and not after), and renders cancelled and timed out.
@Suite struct VideoRenderLiveTests {
    /// Test media made by ffmpeg: a 2 s colour-bars video with a tone, a red 40x40 PNG, a 2 s tone, and a text file.
    struct Media {
        let folder: String
        var video: String { folder + "/bars.mp4" }
        var image: String { folder + "/red.png" }
        var audio: String { folder + "/tone.wav" }
        var text: String { folder + "/notes.txt" }

        static func make() async throws -> Media {
            let folder = NSTemporaryDirectory() + "ozzi-video-media-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let media = Media(folder: folder)
            for arguments in [
                ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", media.video],
                ["-f", "lavfi", "-i", "color=c=red:size=40x40:duration=1", "-frames:v", "1", media.image],
                ["-f", "lavfi", "-i", "sine=frequency=660:duration=2", media.audio],
            ] {
                let made = try await Subprocess.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments)
                #expect(made.status == 0, "\(made.stderr)")
            }
            try Data("not a video, only words".utf8).write(to: URL(fileURLWithPath: media.text))
            return media
        }

        /// Two minutes of small moving pictures (cheap to make, dear to render at 1080x1920).
        func long() async throws -> String {
            let file = folder + "/long.mp4"
            let made = try await Subprocess.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                                                    "testsrc2=size=320x240:rate=30:duration=120", "-c:v", "libx264", "-preset", "ultrafast", file])
            #expect(made.status == 0, "\(made.stderr)")
            return file
        }
    }

    struct World {
        let api: WorkerTestHost
        let token: String
        let media: Media

        /// The host stopped, its data and the media removed.
        func stop() async {
            await api.stop()
            try? FileManager.default.removeItem(atPath: media.folder)
        }

        func call(_ method: String, _ path: String, json: JSONValue? = nil, headers: [String: String] = [:], maxSeconds: Double? = nil) async throws -> TestResponse {
            try await api.call(method, "/api/v1" + path, json: json, token: token, headers: headers, maxSeconds: maxSeconds)
        }

        /// Uploads a file as its body (curl: the bytes as they are).
        func upload(_ path: String, name: String, type: String) async throws -> (status: Int, json: JSONValue) {
            let output = try await Subprocess.curl(["-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: \(type)",
                                                    "--data-binary", "@" + path, api.base + "/api/v1/video/assets?name=\(name)"])
            let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.last ?? "") ?? 0
            return (status, (try? JSONValue(jsonBytes: Array(lines.dropLast().joined(separator: "\n").utf8))) ?? .null)
        }

        func asset(_ path: String, name: String, type: String) async throws -> String {
            let (status, json) = try await upload(path, name: name, type: type)
            #expect(status == 201, "\(json)")
            return try #require(json["id"]?.stringValue)
        }

        /// Waits for a render to end; its final state.
        func ended(_ id: String) async throws -> TestResponse {
            var last: TestResponse?
            _ = try await Poll.until(timeout: .seconds(600), interval: .milliseconds(200)) {
                last = try await call("GET", "/video/renders/\(id)")
                // A poll with no answer (curl's time-out on a starved machine) is asked again, not read as the end.
                return last?.status != 0 && !["queued", "rendering"].contains(last?.string("status") ?? "")
            }
            return try #require(last)
        }

        /// Downloads a render's MP4 to a file.
        func download(_ render: String) async throws -> String {
            let file = media.folder + "/\(render).mp4"
            let output = try await Subprocess.curl(["-s", "-o", file, "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                    api.base + "/api/v1/video/renders/\(render)/video"])
            #expect(output.stdout == "200")
            return file
        }
    }

    static func world(vars: [String: String] = [:]) async throws -> World {
        let api = try await WorkerTestHost.start("api", .live, vars: vars)
        let token = try #require(try await api.signUp("video@example.com").string("access_token"))
        return World(api: api, token: token, media: try await Media.make())
    }

    /// ffprobe's streams and format of a file.
    static func probe(_ file: String) async throws -> JSONValue {
        let output = try await Subprocess.run("/usr/bin/ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", file])
        return try JSONValue(jsonBytes: Array(output.stdout.utf8))
    }

    /// The frame at `seconds` as RGB bytes, row by row.
    static func frame(_ file: String, at seconds: Double, into folder: String) async throws -> [UInt8] {
        let raw = folder + "/frame-\(UUID().uuidString).rgb"
        let output = try await Subprocess.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-ss", String(seconds), "-i", file,
                                                                  "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        #expect(output.status == 0, "\(output.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: raw)))
    }

    @Test func uploadsAreProbedAndWhatIsNotMediaIsRefused() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let (status, video) = try await w.upload(w.media.video, name: "bars.mp4", type: "video/mp4")
        #expect(status == 201 && video["kind"] == "video" && video["width"] == 320 && video["height"] == 240 && video["has_audio"] == true, "\(video)")
        #expect(abs((video["duration"]?.numberValue ?? 0) - 2) < 0.1, "\(video)")
        let (_, image) = try await w.upload(w.media.image, name: "red.png", type: "image/png")
        #expect(image["kind"] == "image" && image["duration"] == nil && image["width"] == 40, "\(image)")
        let (_, audio) = try await w.upload(w.media.audio, name: "tone.wav", type: "audio/wav")
        #expect(audio["kind"] == "audio" && audio["has_video"] == false, "\(audio)")
        let (refused, words) = try await w.upload(w.media.text, name: "notes.txt", type: "video/mp4")
        #expect(refused == 422 && words["error"]?["code"] == "not_media", "\(words)")
        #expect(words["error"]?["message"]?.stringValue?.contains("ffprobe") == true, "\(words)")
        // Refused means kept nowhere: three assets, and the bytes downloadable as uploaded.
        #expect(try await w.call("GET", "/video/assets")["data"]?.arrayValue?.count == 3)
        let download = try await Subprocess.curl(["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "Authorization: Bearer \(w.token)",
                                                  w.api.base + "/api/v1/video/assets/\(try #require(image["id"]?.stringValue))/content"])
        let size = (try FileManager.default.attributesOfItem(atPath: w.media.image)[.size] as? Int) ?? -1
        #expect(download.stdout == "200 \(size)")
    }

    @Test func projectsAreCheckedNamingTheClipAndTheProperty() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let image = try await w.asset(w.media.image, name: "red.png", type: "image/png")
        let tone = try await w.asset(w.media.audio, name: "tone.wav", type: "audio/wav")
        func refused(_ document: [String: JSONValue]) async throws -> String? {
            let answer = try await w.call("POST", "/video/projects", json: .object(["name": "x"].merging(document) { $1 }))
            #expect(answer.status == 422, "\(answer.body)")
            return answer["error"]?["details"]?["field"]?.stringValue ?? answer["error"]?["message"]?.stringValue
        }
        let outOfOrder: JSONValue = ["kind": "image", "clips": [["asset_id": .string(image), "start": 0, "duration": 2,
                                                                 "keyframes": ["x": [["time": 1, "value": 0], ["time": 0.5, "value": 10]]]]]]
        #expect(try await refused(["tracks": [outOfOrder]]) == "tracks[0].clips[0].keyframes.x[1].time")
        let wrongKind: JSONValue = ["kind": "image", "clips": [["asset_id": .string(tone), "start": 0, "duration": 1]]]
        #expect(try await refused(["tracks": [wrongKind]]) == "tracks[0].clips[0].asset_id")
        let past: JSONValue = ["kind": "text", "clips": [["text": "hi", "start": 12, "duration": 1]]]
        #expect(try await refused(["duration": 10, "tracks": [past]]) == "tracks[0].clips[0].start")
        let volumeOnImage: JSONValue = ["kind": "image", "clips": [["asset_id": .string(image), "start": 0, "duration": 1, "keyframes": ["volume": [["time": 0, "value": 1]]]]]]
        #expect(try await refused(["tracks": [volumeOnImage]]) == "tracks[0].clips[0].keyframes.volume")

        // A project made, changed with If-Match, and refused a change against a stale version.
        let made = try await w.call("POST", "/video/projects", json: ["name": "Launch", "aspect_ratio": "1:1", "resolution": 360, "duration": 3])
        #expect(made.status == 201 && made["width"] == 360 && made["height"] == 360 && made.headers["etag"] == "\"1\"", "\(made.body)")
        let id = try #require(made.string("id"))
        let changed = try await w.call("PATCH", "/video/projects/\(id)", json: ["duration": 4], headers: ["If-Match": "\"1\""])
        #expect(changed.status == 200 && changed["document"]?["duration"] == 4 && changed["version"] == 2, "\(changed.body)")
        #expect(try await w.call("PATCH", "/video/projects/\(id)", json: ["duration": 5], headers: ["If-Match": "\"1\""]).status == 412)
        // Shortening the project holds the kept clips to the new length.
        let clip: JSONValue = ["kind": "text", "clips": [["text": "late", "start": 3.5, "duration": 0.5]]]
        #expect(try await w.call("PATCH", "/video/projects/\(id)", json: ["tracks": [clip]]).status == 200)
        let shorter = try await w.call("PATCH", "/video/projects/\(id)", json: ["duration": 3])
        #expect(shorter.status == 422 && shorter["error"]?["details"]?["field"] == "tracks[0].clips[0].start", "\(shorter.body)")
        // An asset a project uses is not deleted from under it.
        let uses = try await w.call("PATCH", "/video/projects/\(id)", json: ["tracks": [["kind": "image", "clips": [["asset_id": .string(image), "start": 0, "duration": 1]]]]])
        #expect(uses.status == 200, "\(uses.body)")
        #expect(try await w.call("DELETE", "/video/assets/\(image)").status == 409)
        #expect(try await w.call("DELETE", "/video/assets/\(tone)").status == 204)
        // A render's quality is one of three, named when it is not.
        let best = try await w.call("POST", "/video/projects/\(id)/renders", json: ["quality": "best"])
        #expect(best.status == 422 && best["error"]?["details"]?["field"] == "quality", "\(best.body)")
    }

    /// A 3-second project in each aspect ratio: the MP4's length within a frame, its size, an H.264 and an
    /// AAC stream, faststart; in the portrait one, the keyframed red square where its keyframes put it at
    /// 1 s, and the caption in its band at 1 s and gone at 2 s.
    @Test func threeSecondProjectsRenderInEachAspectRatio() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let bars = try await w.asset(w.media.video, name: "bars.mp4", type: "video/mp4")
        let red = try await w.asset(w.media.image, name: "red.png", type: "image/png")
        let tone = try await w.asset(w.media.audio, name: "tone.wav", type: "audio/wav")
        for (aspect, width, height) in [("16:9", 640, 360), ("9:16", 360, 640), ("1:1", 360, 360)] {
            let portrait = aspect == "9:16"
            let tracks: [JSONValue] = portrait ? [
                ["kind": "image", "clips": [["asset_id": .string(red), "start": 0, "duration": 3, "y": 300, "width": 40, "height": 40,
                                             "keyframes": ["x": [["time": 0, "value": 0], ["time": 2, "value": 200]]]]]],
                ["kind": "audio", "clips": [["asset_id": .string(tone), "start": 0.5, "volume": 0.8]]],
            ] : [
                ["kind": "video", "clips": [["asset_id": .string(bars), "start": 0, "fit": "cover"]]],
                ["kind": "audio", "clips": [["asset_id": .string(tone), "start": 1]]],
            ]
            var document: [String: JSONValue] = ["name": .string("Launch \(aspect)"), "aspect_ratio": .string(aspect), "resolution": 360, "fps": 30,
                                                 "duration": 3, "tracks": .array(tracks)]
            if portrait {
                document["captions"] = ["segments": [["start": 0.5, "end": 1.5, "text": "HELLO THERE"]], "style": ["size": 40, "color": "#ffffff"]]
            }
            let project = try await w.call("POST", "/video/projects", json: .object(document))
            #expect(project.status == 201, "\(project.body)")
            // The square one is a draft: x264's fastest preset, as its own settings in the stream say.
            let draft = aspect == "1:1"
            let started = try await w.call("POST", "/video/projects/\(try #require(project.string("id")))/renders", json: draft ? ["quality": "draft"] : nil)
            #expect(started.status == 202 && started.string("status") == "queued", "\(started.status) \(started.body)")
            #expect(started.string("quality") == (draft ? "draft" : "standard"))
            let render = try await w.ended(try #require(started.string("id")))
            // A render that did not succeed says why in its body; nothing after this could pass without it.
            try #require(render.string("status") == "succeeded", "the \(aspect) render: \(render.body)")
            #expect(render["progress"] == 1, "\(render.body)")
            #expect(render["output"]?["width"]?.numberValue == Double(width) && render["output"]?["height"]?.numberValue == Double(height), "\(render.body)")
            let file = try await w.download(try #require(render.string("id")))
            let probe = try await Self.probe(file)
            let streams = probe["streams"]?.arrayValue ?? []
            #expect(Set(streams.compactMap { $0["codec_name"]?.stringValue }) == ["h264", "aac"], "\(probe)")
            let video = try #require(streams.first { $0["codec_type"] == "video" })
            #expect(video["width"]?.numberValue == Double(width) && video["height"]?.numberValue == Double(height))
            let duration = Double(probe["format"]?["duration"]?.stringValue ?? "") ?? 0
            #expect(abs(duration - 3) <= 1.0 / 30 + 0.03, "duration \(duration)")
            // Faststart: the index (moov) comes before the media (mdat).
            let head = Array(try Data(contentsOf: URL(fileURLWithPath: file)).prefix(4_096))
            let moov = head.indices.first { Array(head[$0..<min($0 + 4, head.count)]) == Array("moov".utf8) }
            #expect(moov != nil, "moov is not at the start")
            // x264 writes its settings into the stream: ultrafast has no CABAC; the CRF is the quality's.
            let settings = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            #expect(settings.contains(draft ? "cabac=0" : "cabac=1") && settings.contains(draft ? " crf=23.0 " : " crf=20.0 "), "\(draft)")
            // The poster is a JPEG.
            let poster = try await Subprocess.curl(["-s", "-o", "/dev/null", "-w", "%{http_code} %{content_type}", "-H", "Authorization: Bearer \(w.token)",
                                                    w.api.base + "/api/v1/video/renders/\(try #require(render.string("id")))/poster"])
            #expect(poster.stdout == "200 image/jpeg")
            guard portrait else { continue }
            // At 1 s the square's left edge is at x = 100 (linear 0 -> 200 over 2 s): red at its centre (120, 320), black at 60.
            let frame = try await Self.frame(file, at: 1.0, into: w.media.folder)
            #expect(frame.count == width * height * 3)
            func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
                let i = (y * width + x) * 3
                return (Int(frame[i]), Int(frame[i + 1]), Int(frame[i + 2]))
            }
            let centre = pixel(120, 320), left = pixel(60, 320)
            #expect(centre.0 > 180 && centre.1 < 80 && centre.2 < 80, "centre \(centre)")
            #expect(left.0 < 60, "left \(left)")
            // The caption's band: the bottom twelfth's margin up to its text's height.
            func brightest(_ pixels: [UInt8]) -> Int {
                var most = 0
                for y in (height - 53 - 70)..<(height - 40) { for x in 0..<width { most = max(most, Int(pixels[(y * width + x) * 3 + 1])) } }
                return most
            }
            #expect(brightest(frame) > 200, "no caption at 1 s")
            #expect(brightest(try await Self.frame(file, at: 2.0, into: w.media.folder)) < 60, "the caption stayed after its end")
        }
    }

    /// Cancelling a running render stops its ffmpeg; a render over its time is stopped and says so.
    @Test func rendersAreCancelledAndTimedOut() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let bars = try await w.asset(try await w.media.long(), name: "long.mp4", type: "video/mp4")
        // Two minutes of moving pictures at 1080x1920: far longer than anything below waits for.
        let long: JSONValue = ["name": "Long", "aspect_ratio": "9:16", "duration": 120,
                               "tracks": [["kind": "video", "clips": [["asset_id": .string(bars), "start": 0, "duration": 120, "fit": "cover"]]]]]
        let project = try #require(try await w.call("POST", "/video/projects", json: long).string("id"))
        let render = try #require(try await w.call("POST", "/video/projects/\(project)/renders").string("id"))
        #expect(try await Poll.until(timeout: .seconds(300), interval: .milliseconds(100)) {
            let now = try await w.call("GET", "/video/renders/\(render)")
            return now.string("status") == "rendering" && (now["progress"]?.numberValue ?? 0) > 0
        }, "no progress came")
        let cancelled = try await w.call("POST", "/video/renders/\(render)/cancel")
        #expect(cancelled.status == 200 && cancelled.string("status") == "cancelled", "\(cancelled.body)")
        // video-render let go of it: nothing running there, and the render stays cancelled.
        #expect(try await Poll.until { try await w.api.call("GET", "/video/status")["renders_running"] == 0 })
        #expect(try await w.call("GET", "/video/renders/\(render)").string("status") == "cancelled")
        #expect(try await w.call("POST", "/video/renders/\(render)/cancel").status == 200, "cancelling again is no error")
        // A host that stops kills its ffmpegs (the api hands their renders over again later).
        let next = try #require(try await w.call("POST", "/video/projects/\(project)/renders").string("id"))
        #expect(try await Poll.until(timeout: .seconds(300), interval: .milliseconds(100)) {
            try await w.call("GET", "/video/renders/\(next)").string("status") == "rendering"
        })
        #expect(try await Poll.until { try await Subprocess.run("/usr/bin/pgrep", ["-f", "work/\(next)/"]).status == 0 }, "its ffmpeg runs")
        await w.api.stop()
        #expect(try await Poll.until { try await Subprocess.run("/usr/bin/pgrep", ["-f", "work/\(next)/"]).status == 1 }, "its ffmpeg outlived the host")

        let timed = try await Self.world(vars: ["VIDEO_RENDER_TIMEOUT_SECONDS": "1"])
        defer { Task { await timed.stop() } }
        let clip = try await timed.asset(try await timed.media.long(), name: "long.mp4", type: "video/mp4")
        let slow = try #require(try await timed.call("POST", "/video/projects", json: [
            "name": "Slow", "aspect_ratio": "9:16", "duration": 120,
            "tracks": [["kind": "video", "clips": [["asset_id": .string(clip), "start": 0, "duration": 120, "fit": "cover"]]]],
        ]).string("id"))
        let over = try await timed.ended(try #require(try await timed.call("POST", "/video/projects/\(slow)/renders").string("id")))
        #expect(over.string("status") == "failed" && over["error"]?["code"] == "timed_out", "\(over.body)")
        #expect(try await timed.call("POST", "/video/renders/\(try #require(over.string("id")))/cancel").status == 409)
    }
    /// A render that fails inside ffmpeg keeps ffmpeg's own words: here a clip whose stored bytes were
    /// damaged after it was uploaded and probed (the render trusts the upload's probe, so ffmpeg is the
    /// first to read them).
    @Test func aRenderFailingInFFmpegKeepsItsError() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let bars = try await w.asset(w.media.video, name: "bars.mp4", type: "video/mp4")
        // The bucket keeps the object as a file of its own under its `blobs/` folder: the one with its bytes.
        // (Only there: the probe's working copy under video-render's folder is removed after the upload
        // answers, so a scan of the whole data folder can still meet it.)
        let uploaded = try Data(contentsOf: URL(fileURLWithPath: w.media.video))
        let stored = (FileManager.default.enumerator(atPath: w.api.dataDirectory)?.allObjects as? [String] ?? [])
            .filter { $0.contains("/blobs/") }
            .map { w.api.dataDirectory + "/" + $0 }
            .filter { ((try? FileManager.default.attributesOfItem(atPath: $0)[.size]) as? Int) == uploaded.count }
            .filter { (try? Data(contentsOf: URL(fileURLWithPath: $0))) == uploaded }
        #expect(stored.count == 1, "\(stored)")
        try Data(repeating: 0x5A, count: uploaded.count).write(to: URL(fileURLWithPath: try #require(stored.first)))

        let project = try #require(try await w.call("POST", "/video/projects", json: [
            "name": "Damaged", "aspect_ratio": "1:1", "resolution": 360, "duration": 1,
            "tracks": [["kind": "video", "clips": [["asset_id": .string(bars), "start": 0]]]],
        ]).string("id"))
        let failed = try await w.ended(try #require(try await w.call("POST", "/video/projects/\(project)/renders").string("id")))
        #expect(failed.string("status") == "failed" && failed["error"]?["code"] == "ffmpeg_failed", "\(failed.body)")
        let message = failed["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("Invalid data found when processing input"), "ffmpeg's words: \(message)")
        #expect(failed["output"] == nil || failed["output"] == .null, "\(failed.body)")
    }

    /// Captions from speech: an espeak-ng recording placed 1 s into the project is transcribed offline
    /// (PocketSphinx) into lines on the project's timeline, exported as SRT and WebVTT, and burned in.
    @Test func captionsComeFromAClipsSpeech() async throws {
        let w = try await Self.world()
        defer { Task { await w.stop() } }
        let speech = w.media.folder + "/speech.wav"
        let spoken = try await Subprocess.run("/usr/bin/espeak-ng", ["-v", "en-us+f2", "-s", "190", "-w", speech, "thank you very much for your help"])
        #expect(spoken.status == 0, "\(spoken.stderr)")
        let voice = try await w.asset(speech, name: "speech.wav", type: "audio/wav")
        let red = try await w.asset(w.media.image, name: "red.png", type: "image/png")
        let made = try await w.call("POST", "/video/projects", json: [
            "name": "Thanks", "aspect_ratio": "16:9", "resolution": 360, "duration": 5,
            "tracks": [["kind": "image", "clips": [["asset_id": .string(red), "start": 0, "duration": 1, "width": 40, "height": 40]]],
                       ["kind": "audio", "clips": [["id": "voice", "asset_id": .string(voice), "start": 1]]]],
        ])
        let id = try #require(made.string("id"), "\(made.body)")
        #expect(try await w.call("POST", "/video/projects/\(id)/captions", json: ["clip_id": "tracks0-clips0"]).status == 422, "a clip without sound")
        // Transcription runs at background priority: beside a busy test run it can wait minutes for a core.
        let captioned = try await w.call("POST", "/video/projects/\(id)/captions", json: [:], maxSeconds: 600)
        #expect(captioned.status == 200, "\(captioned.body)")
        let segments = captioned["document"]?["captions"]?["segments"]?.arrayValue ?? []
        let words = segments.flatMap { $0["words"]?.arrayValue ?? [] }
        let heard = words.compactMap { $0["text"]?.stringValue?.lowercased() }
        // Loosely: most of the sentence, in order, timed after the clip's start and within the project.
        var expected = ["thank", "you", "very", "much", "for", "your", "help"][...]
        for word in heard where word == expected.first { expected.removeFirst() }
        #expect(expected.count <= 3, "heard \(heard)")
        let times = words.compactMap { $0["start"]?.numberValue }
        #expect(times.first.map { $0 >= 1 } == true && times == times.sorted() && words.allSatisfy { ($0["end"]?.numberValue ?? 99) <= 5 }, "\(words)")
        // Exported as files.
        let srt = try await w.call("GET", "/video/projects/\(id)/captions.srt")
        #expect(srt.status == 200 && srt.body.hasPrefix("1\n00:00:0") && srt.body.contains(" --> ") && srt.headers["content-type"]?.hasPrefix("application/x-subrip") == true, "\(srt.body)")
        let vtt = try await w.call("GET", "/video/projects/\(id)/captions.vtt")
        #expect(vtt.status == 200 && vtt.body.hasPrefix("WEBVTT\n\n00:00:0"), "\(vtt.body)")
        // Burned in: text in the caption band while the first line shows.
        let first = try #require(segments.first)
        let render = try await w.ended(try #require(try await w.call("POST", "/video/projects/\(id)/renders").string("id")))
        #expect(render.string("status") == "succeeded", "\(render.body)")
        let file = try await w.download(try #require(render.string("id")))
        let at = ((first["start"]?.numberValue ?? 1) + (first["end"]?.numberValue ?? 2)) / 2
        let frame = try await Self.frame(file, at: at, into: w.media.folder)
        var brightest = 0
        for y in (360 - 30 - 60)..<(360 - 20) { for x in 0..<640 { brightest = max(brightest, Int(frame[(y * 640 + x) * 3 + 1])) } }
        #expect(brightest > 200, "no caption at \(at) s")

        // The live stream told the workspace: the project made and changed, the render queued, on its way, done.
        let since = try #require(try await w.api.database("api", of: "api").prepare("SELECT seq FROM workspace_events WHERE type = 'video.asset_created'")
            .first()?.integer("seq"))
        let stream = try await w.call("GET", "/stream?last_event_id=\(since)", headers: [:], maxSeconds: 1)
        for type in ["video.project_created", "video.project_updated", "video.render_queued", "video.render_progress", "video.render_succeeded"] {
            #expect(stream.body.contains("event: \(type)\n"), "\(type) in \(stream.body.suffix(2_000))")
        }
    }
}
