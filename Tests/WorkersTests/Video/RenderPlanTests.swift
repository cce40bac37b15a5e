import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
import VideoTimeline

/// The render plan: easing and keyframe values and the document's checks without ffmpeg, then real renders
/// of small projects (360 px, a few seconds) checked by what ffprobe reports and by pixels and samples
/// decoded from the MP4.
@Suite struct RenderPlanTests {
    // MARK: Without ffmpeg

    @Test func easingsMatchCSS() {
        #expect(abs(Easing.easeInOut.value(0.5) - 0.5) < 1e-6)
        #expect(Easing.easeIn.value(0.25) < 0.25)
        #expect(Easing.easeOut.value(0.25) > 0.25)
        #expect(Easing.linear.value(0.3) == 0.3)
        for easing in [Easing.easeIn, .easeOut, .easeInOut, .cubicBezier(0.1, -0.5, 0.9, 1.5), .cubicBezier(1, 0, 0, 1)] {
            let values = (0...100).map { easing.value(Double($0) / 100) }
            #expect(abs(values[0]) < 1e-6 && abs(values[100] - 1) < 1e-6, "\(easing) runs from 0 to 1")
            if case .cubicBezier(_, let y1, _, let y2) = easing, (0...1).contains(y1), (0...1).contains(y2) {
                #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 }, "\(easing) never goes back")
            }
        }
    }

    @Test func animatedValuesHoldBeforeAndAfterAndEaseBetween() {
        let animated = Animated(7, keyframes: [Keyframe(time: 1, value: 10), Keyframe(time: 3, value: 30, easing: .easeIn), Keyframe(time: 5, value: 10)])
        #expect(animated.value(at: 0) == 10)
        #expect(animated.value(at: 2) == 20)
        #expect(animated.value(at: 3) == 30)
        #expect(animated.value(at: 4) > 20, "ease-in leaves 30 slowly")
        #expect(animated.value(at: 9) == 10)
        #expect(Animated(7).value(at: 2) == 7)
        #expect(Animated(7, keyframes: [Keyframe(time: 1, value: 4), Keyframe(time: 2, value: 4)]).isConstant)
    }

    @Test func documentErrorsNameTheirPath() throws {
        let outOfOrder = #"{"tracks": [{"kind": "image", "clips": [{"asset_id": "a", "start": 0, "duration": 2,"#
            + #" "keyframes": {"x": [{"time": 1, "value": 0}, {"time": 0.5, "value": 9}]}}]}]}"#
        #expect(throws: TimelineError.self) { try Self.project(outOfOrder) }
        do {
            _ = try Self.project(outOfOrder)
        } catch {
            #expect(error.path == "tracks[0].clips[0].keyframes.x[1].time")
        }

        let project = try Self.project(#"{"tracks": [{"kind": "image", "clips": [{"asset_id": "a", "start": 0, "duration": 1}, {"asset_id": "b", "start": 1, "duration": 1}]}]}"#)
        let inputs = ["a": RenderInput(path: "/a.png", kind: .image, hasVideo: true, hasAudio: false)]
        do {
            _ = try RenderPlan.make(project: project, inputs: inputs, output: "/out.mp4", workDirectory: "/work")
            Issue.record("an asset the render was not given is an error")
        } catch {
            #expect(error.path == "tracks[0].clips[1].asset_id")
        }
        let silent = try Self.project(#"{"tracks": [{"kind": "audio", "clips": [{"asset_id": "a", "start": 0}]}]}"#)
        #expect(throws: TimelineError("tracks[0].clips[0].asset_id", "names asset 'a', which has no sound")) {
            try RenderPlan.make(project: silent, inputs: inputs, output: "/out.mp4", workDirectory: "/work")
        }
    }

    /// Nothing moves: no per-frame script, no repeated stills, no per-frame evaluation; user text only in files.
    @Test func stillProjectsDoNoPerFrameWork() throws {
        let text = "it's 50% off: {x}"
        let project = try Self.project(#"{"duration": 2, "tracks": [{"kind": "image", "clips": [{"asset_id": "red", "start": 0, "duration": 2, "x": 10, "y": 10, "width": 40, "height": 40, "rotation": 30, "opacity": 0.5}]},"#
            + #" {"kind": "text", "clips": [{"text": "\#(text)", "start": 0.5, "duration": 1, "width": 600, "height": 80, "style": {"size": 20}}]}]}"#)
        let plan = try RenderPlan.make(project: project, inputs: ["red": RenderInput(path: "/red.png", kind: .image, hasVideo: true, hasAudio: false)],
                                       output: "/out.mp4", workDirectory: "/work/")
        let graph = try #require(plan.arguments.firstIndex(of: "-filter_complex").map { plan.arguments[$0 + 1] })
        for busy in ["sendcmd", "loop=", "eval=frame", "-loop"] { #expect(!plan.arguments.joined(separator: " ").contains(busy), "\(busy)") }
        #expect(!graph.contains("50%"))
        #expect(plan.files.map(\.contents) == [text])
        #expect(plan.files[0].path.hasPrefix("/work/") && !plan.files[0].path.hasPrefix("/work//"))
    }

    /// Each quality is an x264 preset and a CRF; a render asks for one, standard unless it says.
    @Test func qualityChoosesTheEncodersPresetAndCRF() throws {
        let project = try Self.project(#"{"duration": 1, "tracks": []}"#)
        func encoder(_ quality: RenderQuality?) throws -> [String] {
            let plan = try quality.map { try RenderPlan.make(project: project, inputs: [:], output: "/out.mp4", quality: $0, workDirectory: "/work") }
                ?? RenderPlan.make(project: project, inputs: [:], output: "/out.mp4", workDirectory: "/work")
            let preset = try #require(plan.arguments.firstIndex(of: "-preset")), crf = try #require(plan.arguments.firstIndex(of: "-crf"))
            let options = plan.arguments.firstIndex(of: "-x264-params").map { [plan.arguments[$0 + 1]] } ?? []
            return [plan.arguments[preset + 1], plan.arguments[crf + 1]] + options
        }
        #expect(try encoder(nil) == ["veryfast", "20", "me=dia:subme=1"])
        #expect(try RenderQuality.allCases.map(encoder) == [["ultrafast", "23"], ["veryfast", "20", "me=dia:subme=1"], ["medium", "18"]])
    }

    // MARK: Rendered

    @Test(arguments: AspectRatio.allCases) func rendersEachAspectRatio(_ aspect: AspectRatio) async throws {
        let scratch = try Scratch()
        let media = try await scratch.media()
        let project = try Self.project(#"""
            {"aspect_ratio": "\#(aspect.rawValue)", "resolution": 360, "fps": 30, "duration": 3, "background": "#102030",
             "tracks": [{"kind": "video", "clips": [{"asset_id": "video", "start": 0.5, "in": 1, "fit": "cover", "fade_out": 0.5}]},
                        {"kind": "image", "clips": [{"asset_id": "red", "start": 0, "duration": 3, "width": 40, "height": 40}]},
                        {"kind": "audio", "clips": [{"asset_id": "tone", "start": 1}]}],
             "captions": {"segments": [{"start": 0, "end": 2, "text": "Hello there"}]}}
            """#)
        let output = try await scratch.render(project, media)
        let probe = try await Self.probe(output)
        let streams = try #require(probe["streams"] as? [[String: Any]])
        let video = streams.filter { $0["codec_type"] as? String == "video" }
        let audio = streams.filter { $0["codec_type"] as? String == "audio" }
        let size = aspect.size(shortSide: 360)
        #expect(video.count == 1 && audio.count == 1)
        #expect(video.first?["codec_name"] as? String == "h264" && audio.first?["codec_name"] as? String == "aac")
        #expect(video.first?["width"] as? Int == size.width && video.first?["height"] as? Int == size.height)
        let format = try #require(probe["format"] as? [String: Any])
        let duration = try #require(Double(format["duration"] as? String ?? ""))
        #expect(abs(duration - 3) <= 1.0 / 30 + 1e-6, "\(duration)")
        // The full-frame video is the canvas itself (no overlay): the background before it starts, the video after.
        let before = try await scratch.frame(output, at: 0.25, width: size.width, height: size.height).rgb(x: size.width / 2, y: size.height / 3)
        let during = try await scratch.frame(output, at: 1.5, width: size.width, height: size.height).rgb(x: size.width / 2, y: size.height / 3)
        #expect(Frame.distance(before, (0x10, 0x20, 0x30)) < 24, "\(before)")
        #expect(Frame.distance(during, (0x10, 0x20, 0x30)) > 60, "\(during)")
        let boxes = try Self.topLevelBoxes(output)
        #expect(try #require(boxes.firstIndex(of: "moov")) < #require(boxes.firstIndex(of: "mdat")), "faststart: \(boxes)")

        // The poster, written by the same run: one JPEG of the frame at 1 s (the video showing, not the background).
        let poster = scratch.directory + "/poster.jpg"
        #expect(RenderPlan.posterTime(project) == 1)
        let picture = try #require((try await Self.probe(poster)["streams"] as? [[String: Any]])?.first)
        #expect(picture["codec_name"] as? String == "mjpeg" && picture["width"] as? Int == size.width && picture["height"] as? Int == size.height)
        let shown = try await scratch.frame(output, at: 1, width: size.width, height: size.height)
        let still = try await scratch.frame(poster, at: nil, width: size.width, height: size.height)
        for (x, y) in [(size.width / 2, size.height / 3), (size.width / 4, size.height / 2), (3 * size.width / 4, 2 * size.height / 3)] {
            let (r, g, b) = shown.rgb(x: x, y: y)
            #expect(Frame.distance(still.rgb(x: x, y: y), (Int(r), Int(g), Int(b))) < 40, "poster \(still.rgb(x: x, y: y)) against \(shown.rgb(x: x, y: y)) at \(x),\(y)")
        }
        #expect(Frame.distance(still.rgb(x: size.width / 2, y: size.height / 3), (0x10, 0x20, 0x30)) > 60)
    }

    /// Red squares on black, each box 40x40: x keyframes linear and ease-in-out, then opacity, scale and
    /// rotation keyframes; each square's centre where `Animated.value(at:)` puts its box's centre, its width
    /// what the scale and rotation make of 40 px, and nothing where the opacity is 0. A sixth fades in over
    /// a second: half red at 0.5 s.
    @Test func keyframesLandWhereTheModelSays() async throws {
        let scratch = try Scratch()
        let media = try await scratch.media()
        let squares = [
            #""y": 20, "keyframes": {"x": [{"time": 0, "value": 0}, {"time": 2, "value": 200}]}"#,
            #""y": 100, "keyframes": {"x": [{"time": 0, "value": 0, "easing": "ease-in-out"}, {"time": 2, "value": 200}]}"#,
            #""x": 300, "y": 100, "keyframes": {"opacity": [{"time": 0.8, "value": 1}, {"time": 0.9, "value": 0}, {"time": 1.2, "value": 0}, {"time": 1.3, "value": 1}]}"#,
            #""x": 400, "y": 200, "keyframes": {"scale": [{"time": 0, "value": 1}, {"time": 2, "value": 2}]}"#,
            #""x": 540, "y": 200, "keyframes": {"rotation": [{"time": 0, "value": 0}, {"time": 2, "value": 90}]}"#,
            #""x": 100, "y": 280, "fade_in": 1"#,
        ].map { #"{"asset_id": "red", "start": 0, "duration": 3, "width": 40, "height": 40, \#($0)}"# }
        let project = try Self.project(#"{"resolution": 360, "duration": 3, "tracks": [{"kind": "image", "clips": [\#(squares.joined(separator: ", "))]}]}"#)
        let output = try await scratch.render(project, media)
        let regions = [(x: 0..<280, y: 0..<80), (x: 0..<280, y: 80..<170), (x: 280..<380, y: 80..<170), (x: 360..<480, y: 170..<300), (x: 500..<640, y: 170..<300)]
        let clips = project.tracks[0].clips.prefix(5)
        for time in [0.5, 1.0, 1.5] {
            let frame = try await scratch.frame(output, at: time, width: 640, height: 360)
            let faded = Double(frame.rgb(x: 120, y: 300).r) / 255
            #expect(abs(faded - min(time, 1)) < 0.08, "the fading square's red at \(time) s: \(faded)")
            for (index, clip) in clips.enumerated() {
                let red = frame.pixels(in: regions[index]) { $0.r > 150 && $0.g < 100 && $0.b < 100 }
                if clip.opacity.value(at: time) == 0 {
                    #expect(red.count == 0, "square \(index) is hidden at \(time) s")
                    continue
                }
                let centre = try #require(red.centre, "square \(index) shows at \(time) s")
                #expect(abs(centre.x - (clip.x.value(at: time) + 20)) <= 3, "square \(index) x at \(time) s: \(centre.x)")
                #expect(abs(centre.y - (clip.y.value(at: time) + 20)) <= 3, "square \(index) y at \(time) s: \(centre.y)")
                let angle = clip.rotation.value(at: time) * .pi / 180
                let width = 40 * clip.scale.value(at: time) * (abs(cos(angle)) + abs(sin(angle)))
                #expect(abs(Double(red.maxX - red.minX + 1) - width) <= 3, "square \(index) width at \(time) s: \(red.maxX - red.minX + 1), not \(width)")
            }
        }
    }

    @Test func captionsShowOnlyWhileTheirSegmentLasts() async throws {
        let scratch = try Scratch()
        let project = try Self.project(#"""
            {"resolution": 360, "duration": 2.5, "background": "#000000", "tracks": [],
             "captions": {"segments": [{"start": 0.5, "end": 1.5, "text": "A caption long enough that it has to break onto a second line at this size"}],
                          "style": {"size": 28}, "margin_bottom": 30}}
            """#)
        let output = try await scratch.render(project, Media())
        let band = (x: 0..<640, y: 180..<330)
        let during = try await scratch.frame(output, at: 1.0, width: 640, height: 360).pixels(in: band) { max($0.r, $0.g, $0.b) > 60 }
        #expect(during.count > 500)
        #expect(during.maxY < 330 && during.maxY > 300, "the band's bottom is 30 px above the frame's: \(during.maxY)")
        #expect(during.maxY - during.minY > 40, "more than one line: \(during.minY)...\(during.maxY)")
        #expect(during.minX > 32 && during.maxX < 640 - 32, "inside the frame's margins: \(during.minX)...\(during.maxX)")
        for time in [0.3, 2.0] {
            let after = try await scratch.frame(output, at: time, width: 640, height: 360).pixels(in: (x: 0..<640, y: 0..<360)) { max($0.r, $0.g, $0.b) > 60 }
            #expect(after.count == 0, "nothing at \(time) s")
        }
    }

    @Test func textIsDrawnAsTyped() async throws {
        let scratch = try Scratch()
        // In JSON: a backslash and an n, then a real newline before the second line.
        let text = #"it's 50% off: {x}\\n \"quoted\" [a,b;c] %{pts} \\ done\nsecond line: 100%"#
        let project = try Self.project(#"""
            {"resolution": 360, "duration": 1, "tracks": [{"kind": "text", "clips": [{"text": "\#(text)", "start": 0, "duration": 1, "x": 100, "y": 100, "width": 440, "height": 160,
              "style": {"size": 24, "background": "#404040", "align": "left"}}]}]}
            """#)
        #expect(project.tracks[0].clips[0].text?.contains("\n") == true)
        let output = try await scratch.render(project, Media())
        let frame = try await scratch.frame(output, at: 0.5, width: 640, height: 360)
        let inside = frame.pixels(in: (x: 100..<540, y: 100..<260)) { max($0.r, $0.g, $0.b) > 40 }
        #expect(inside.count > 2000)
        #expect(inside.maxY - inside.minY > 40, "two lines")
        let outside = frame.pixels(in: (x: 0..<640, y: 0..<360)) { max($0.r, $0.g, $0.b) > 40 }
        #expect(outside.count == inside.count, "nothing drawn outside the box")
    }

    /// A video clip (in a 100x100 box) from 1.0 to 1.8 s and a tone from 2 s rising from 0.1 to full volume:
    /// the picture only in its span; silence before, sound where each plays, the tone quieter as it starts
    /// than after its keyframe.
    @Test func soundPlaysWhereItsClipsAreAndFollowsVolumeKeyframes() async throws {
        let scratch = try Scratch()
        let media = try await scratch.media()
        let project = try Self.project(#"""
            {"resolution": 360, "duration": 3, "tracks": [{"kind": "video", "clips": [{"asset_id": "video", "start": 1, "duration": 0.8, "width": 100, "height": 100}]},
                                       {"kind": "audio", "clips": [{"asset_id": "tone", "start": 2, "keyframes": {"volume": [{"time": 0.1, "value": 0.1}, {"time": 0.5, "value": 1}]}}]}]}
            """#)
        let output = try await scratch.render(project, media)
        for (time, shows) in [(0.9, false), (1.4, true), (1.9, false)] {
            let picture = try await scratch.frame(output, at: time, width: 640, height: 360).pixels(in: (x: 0..<100, y: 0..<100)) { max($0.r, $0.g, $0.b) > 40 }
            #expect((picture.count > 2000) == shows, "the video's picture at \(time) s: \(picture.count) pixels")
        }
        let before = try await scratch.loudness(output, from: 0.1, to: 0.9)
        let video = try await scratch.loudness(output, from: 1.2, to: 1.7)
        let gap = try await scratch.loudness(output, from: 1.85, to: 1.95)
        let quiet = try await scratch.loudness(output, from: 2.02, to: 2.1)
        let full = try await scratch.loudness(output, from: 2.6, to: 2.9)
        #expect(before < 0.001 && gap < 0.001, "silent before and between: \(before), \(gap)")
        // lavfi's sine is an eighth of full scale: an RMS near 0.09.
        #expect(video > 0.03, "the video's sound: \(video)")
        #expect(full > 0.03, "the tone at full volume: \(full)")
        #expect(quiet > 0.002 && quiet < full / 5, "the tone at a tenth: \(quiet) against \(full)")
    }

    // MARK: Helpers

    static func project(_ json: String) throws(TimelineError) -> VideoProject {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        } catch {
            throw TimelineError("", "is not JSON: \(error)")
        }
        return try VideoProject.read(value)
    }

    static func probe(_ file: String) async throws -> [String: Any] {
        let result = try await Subprocess.run("/usr/bin/ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", file])
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The names of the file's top-level MP4 boxes, in order.
    static func topLevelBoxes(_ file: String) throws -> [String] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        var names: [String] = [], offset = 0
        while offset + 8 <= bytes.count {
            var size = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            if size == 1, offset + 16 <= bytes.count { size = bytes[offset + 8..<offset + 16].reduce(0) { $0 << 8 | Int($1) } }
            names.append(String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self))
            guard size >= 8 else { break }
            offset += size
        }
        return names
    }
}

/// The assets a test renders with, by id.
private typealias Media = [String: RenderInput]

/// A test's own directory: its media made by ffmpeg, the plan's files, the render, and decoded frames.
private final class Scratch {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "render-plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A 4 s 320x240 test pattern with a 440 Hz tone, a 40x40 red PNG and a 3 s 660 Hz WAV.
    func media() async throws -> Media {
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=4", "-f", "lavfi", "-i", "sine=f=440:d=4:sample_rate=48000",
                          "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "\(directory)/video.mp4"])
        try await ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=40x40", "-frames:v", "1", "-update", "1", "\(directory)/red.png"])
        try await ffmpeg(["-f", "lavfi", "-i", "sine=f=660:d=3:sample_rate=44100", "\(directory)/tone.wav"])
        return [
            "video": RenderInput(path: "\(directory)/video.mp4", kind: .video, duration: 4, hasVideo: true, hasAudio: true, width: 320, height: 240),
            "red": RenderInput(path: "\(directory)/red.png", kind: .image, hasVideo: true, hasAudio: false, width: 40, height: 40),
            "tone": RenderInput(path: "\(directory)/tone.wav", kind: .audio, duration: 3, hasVideo: false, hasAudio: true),
        ]
    }

    func ffmpeg(_ arguments: [String]) async throws {
        let result = try await Subprocess.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments)
        try #require(result.status == 0, "ffmpeg \(arguments.joined(separator: " ")): \(result.stderr)")
    }

    /// Writes the plan's files and runs it; answers the MP4's path.
    func render(_ project: VideoProject, _ media: Media) async throws -> String {
        let output = "\(directory)/out.mp4"
        let plan = try RenderPlan.make(project: project, inputs: media, output: output, poster: "\(directory)/poster.jpg", workDirectory: directory)
        for file in plan.files { try file.contents.write(toFile: file.path, atomically: true, encoding: .utf8) }
        let result = try await Subprocess.run("/usr/bin/ffmpeg", plan.arguments)
        try #require(result.status == 0, "ffmpeg \(plan.arguments): \(result.stderr)")
        #expect(result.stdout.contains("progress=end"))
        return output
    }

    /// The frame shown at `time` (an image's only one without a time: seeking in a JPEG finds nothing), as RGB.
    func frame(_ video: String, at time: Double?, width: Int, height: Int) async throws -> Frame {
        let path = "\(directory)/frame-\(time.map { String($0) } ?? "still").rgb"
        try await ffmpeg((time.map { ["-ss", String($0)] } ?? []) + ["-i", video, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", path])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(bytes.count == width * height * 3)
        return Frame(bytes: bytes, width: width)
    }

    /// The audio's RMS (full scale 1) between two times, mixed to mono.
    func loudness(_ video: String, from start: Double, to end: Double) async throws -> Double {
        let path = "\(directory)/audio-\(start).pcm"
        try await ffmpeg(["-i", video, "-vn", "-af", "atrim=\(start):\(end)", "-ac", "1", "-f", "s16le", "-acodec", "pcm_s16le", path])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let samples = stride(from: 0, to: bytes.count - 1, by: 2).map { Double(Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)) / 32768 }
        try #require(!samples.isEmpty)
        return (samples.map { $0 * $0 }.reduce(0, +) / Double(samples.count)).squareRoot()
    }
}

/// One decoded RGB frame.
private struct Frame {
    let bytes: [UInt8]
    let width: Int

    struct Pixels {
        var count = 0, sumX = 0, sumY = 0, minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min
        var centre: (x: Double, y: Double)? { count == 0 ? nil : (Double(sumX) / Double(count), Double(sumY) / Double(count)) }
    }

    /// How far apart two colours are: the sum of their channels' differences.
    static func distance(_ colour: (r: UInt8, g: UInt8, b: UInt8), _ other: (Int, Int, Int)) -> Int {
        let red = abs(Int(colour.r) - other.0), green = abs(Int(colour.g) - other.1)
        return red + green + abs(Int(colour.b) - other.2)
    }

    func rgb(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let offset = (y * width + x) * 3
        return (bytes[offset], bytes[offset + 1], bytes[offset + 2])
    }

    /// The pixels in a region that pass `test`: how many, their centre and extent.
    func pixels(in region: (x: Range<Int>, y: Range<Int>), where test: ((r: UInt8, g: UInt8, b: UInt8)) -> Bool) -> Pixels {
        var found = Pixels()
        for y in region.y.clamped(to: 0..<bytes.count / 3 / width) {
            for x in region.x.clamped(to: 0..<width) {
                let offset = (y * width + x) * 3
                guard test((bytes[offset], bytes[offset + 1], bytes[offset + 2])) else { continue }
                found.count += 1; found.sumX += x; found.sumY += y
                found.minX = min(found.minX, x); found.maxX = max(found.maxX, x)
                found.minY = min(found.minY, y); found.maxY = max(found.maxY, y)
            }
        }
        return found
    }
}
