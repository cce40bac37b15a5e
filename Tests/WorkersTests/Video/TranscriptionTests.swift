import Foundation
import Logging
import OzziRuntime
import OzziTestSupport
import Synchronization
import Testing
@testable import VideoRenderWorker
import VideoTimeline

/// Captions from speech: SRT and WebVTT files and the grouping of words into lines (pure), PocketSphinx on
/// an espeak-ng recording of a known sentence, and the Deepgram client against a local stub
/// (Tests/clients/deepgram_stub.py) that checks the wire format and answers as Deepgram does.
@Suite struct TranscriptionTests {
    static func word(_ text: String, _ start: Double, _ end: Double) -> Captions.Word {
        Captions.Word(start: start, end: end, text: text)
    }

    // MARK: Caption files

    @Test func srtAndWebVTTAreWrittenExactly() {
        let segments = [
            Captions.Segment(start: 1, end: 2.5, text: "Hello <b>world</b> & friends"),
            Captions.Segment(start: 2.5, end: 4.0004, text: "two lines\n\n  \r\nwith a gap -->"),
            Captions.Segment(start: 4.5, end: 5, text: " \n "),
            Captions.Segment(start: 3723.4567, end: 3725, text: "An hour in"),
            Captions.Segment(start: 360_000.001, end: 360_001.25, text: "A hundred hours in"),
        ]
        #expect(CaptionFiles.srt(segments) == """
            1
            00:00:01,000 --> 00:00:02,500
            Hello <b>world</b> & friends

            2
            00:00:02,500 --> 00:00:04,000
            two lines
            with a gap -->

            3
            01:02:03,457 --> 01:02:05,000
            An hour in

            4
            100:00:00,001 --> 100:00:01,250
            A hundred hours in


            """)
        #expect(CaptionFiles.webVTT(segments) == """
            WEBVTT

            00:00:01.000 --> 00:00:02.500
            Hello &lt;b&gt;world&lt;/b&gt; &amp; friends

            00:00:02.500 --> 00:00:04.000
            two lines
            with a gap --&gt;

            01:02:03.457 --> 01:02:05.000
            An hour in

            100:00:00.001 --> 100:00:01.250
            A hundred hours in


            """)
        #expect(CaptionFiles.srt([]) == "" && CaptionFiles.webVTT([]) == "WEBVTT\n\n")
    }

    // MARK: Caption lines

    @Test func wordsGroupIntoLinesAtSentencesPausesLengthAndDuration() {
        let w = Self.word
        var words = [w("Hello,", 0, 0.4), w("world.", 0.5, 0.9),                // a sentence ends
                     w("This", 1.0, 1.2), w("is", 1.3, 1.4),                     // then a pause of 1.1 s
                     w("after", 2.5, 2.8), w(" ", 2.8, 2.9), w("a", 2.9, 3.0)]  // a blank word is no word
        // 40 characters with "after a": one more word would pass 42.
        for (index, text) in ["pause", "the", "speaker", "goes", "on", "and", "on", "without"].enumerated() {
            words.append(w(text, 3.1 + Double(index) * 0.3, 3.3 + Double(index) * 0.3))
        }
        // Short words with short gaps: the 7 s limit ends the line first.
        for index in 0..<12 { words.append(w("la", 10 + Double(index) * 0.7, 10.5 + Double(index) * 0.7)) }
        words.append(w("\"Stop!\"", 18.5, 18.9))
        words.append(w("Now", 19.5, 19.5))  // a 0-length word gets 10 ms

        let segments = CaptionLines().segments(words)
        #expect(segments.map(\.text) == ["Hello, world.", "This is", "after a pause the speaker goes on and on", "without",
                                         Array(repeating: "la", count: 10).joined(separator: " "), "la la \"Stop!\"", "Now"])
        #expect(segments[0].start == 0 && segments[0].end == 0.9 && segments[0].words.count == 2)
        #expect(segments[2].text.count == 40)
        #expect(segments[4].end - segments[4].start <= 7)
        #expect(segments.last?.words == [w("Now", 19.5, 19.5 + 0.01)] && segments.last?.end == 19.5 + 0.01)
        #expect(segments.flatMap(\.words).count == words.count - 1)
        #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.end <= $1.start })

        // A recogniser's overlapping words do not make overlapping segments; a comma does not end a line.
        let overlapping = CaptionLines().segments([w("One.", 0, 1.2), w("Two,", 1.0, 1.5), w("three", 1.6, 2)])
        #expect(overlapping.map(\.text) == ["One.", "Two, three"] && overlapping[1].start == 1.2)
        #expect(CaptionLines(maxPause: 0.1).segments([w("a", 0, 1), w("b", 1.2, 2)]).count == 2)
    }

    // MARK: PocketSphinx

    @Test func pocketSphinxOutputBecomesWordsWithoutFillers() {
        let output = """
            i think that we should go on
            <s> 0.000 0.020 0.999200
            i 0.030 0.120 0.371757
            think 0.130 0.450 0.516657
            that(2) 0.460 0.630 0.355397
            <sil> 0.640 0.660 0.890107
            [NOISE] 0.670 0.700 0.9
            we 0.710 0.800 0.280510
            </s> 1.740 2.050 1.000000
            go on
            go 2.500 2.690 0.991138
            """
        let words = PocketSphinxOutput.words(output)
        #expect(words.map(\.text) == ["i", "think", "that", "we", "go"])
        #expect(words.first?.start == 0.03 && abs((words.first?.end ?? 0) - 0.13) < 1e-9, "a segment's end frame is part of the word")
        #expect(words.last?.start == 2.5)
    }

    @Test func pocketSphinxTranscribesSpokenSentences() async throws {
        let folder = try TestFolder()
        let transcriber = PocketSphinxTranscriber(commands: Self.commands, scratchDirectory: folder.scratch)
        // espeak-ng's voices are far from the speech PocketSphinx was trained on, and what it hears changes
        // with small changes of voice or speed. These two give 6 of 7 and 5 of 8 words on Debian 12's packages,
        // and their neighbours (speed ±10, pitch ±10) 4 to 6 each: half of both together is a bar they pass
        // with room, and that a recogniser hearing nothing right (or nothing) does not.
        let recordings = [(sentence: "thank you very much for your help", voice: "en-us+f2", speed: 190),
                          (sentence: "i think that we should go home now", voice: "en-us", speed: 170)]
        var expectedWords = 0, heardInOrder = 0, transcripts: [String] = []
        for recording in recordings {
            let audio = try await folder.speak(recording.sentence, voice: recording.voice, speed: recording.speed)
            let duration = try await folder.duration(audio)
            let captions = CaptionLines().segments(try await transcriber.transcribe(audioFile: audio, language: "en-US"))
            let heard = captions.flatMap(\.words)
            let expected = recording.sentence.split(separator: " ").map(String.init)
            expectedWords += expected.count
            heardInOrder += Self.inOrder(expected, heard.map(\.text))
            #expect(!heard.isEmpty, "PocketSphinx heard nothing of \(recording.sentence)")
            #expect(heard.allSatisfy { $0.start >= 0 && $0.end > $0.start && $0.end <= duration + 0.05 }, "\(heard) within \(duration) s")
            #expect(zip(heard, heard.dropFirst()).allSatisfy { $0.end <= $1.start + 1e-9 }, "times go forward: \(heard)")
            #expect(captions.map(\.text).joined(separator: " ") == heard.map(\.text).joined(separator: " "))
            transcripts.append(heard.map(\.text).joined(separator: " "))
        }
        #expect(heardInOrder >= expectedWords / 2, "\(heardInOrder) of \(expectedWords) words heard in order: \(transcripts)")
        #expect(try folder.leftovers() == [], "the converted audio is removed")
    }

    @Test func aFileWithoutSpeechOrAudioOrInEnglishIsAClearError() async throws {
        let folder = try TestFolder()
        let transcriber = PocketSphinxTranscriber(commands: Self.commands, scratchDirectory: folder.scratch)
        let silence = folder.path + "/silence.wav"
        try await folder.ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "1", silence])
        #expect(try await transcriber.transcribe(audioFile: silence, language: "en") == [])

        let picture = folder.path + "/picture.mp4"
        try await folder.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=64x64:r=10:d=1", "-pix_fmt", "yuv420p", picture])
        let noTrack = await Self.failure { try await transcriber.transcribe(audioFile: picture, language: "en") }
        #expect(noTrack == .noAudio("the file has no audio track") && noTrack?.status == 422 && noTrack?.code == "no_audio")

        let text = folder.path + "/notes.txt"
        try "not media".write(toFile: text, atomically: true, encoding: .utf8)
        let notMedia = await Self.failure { try await transcriber.transcribe(audioFile: text, language: "en") }
        guard case .noAudio(let reason) = notMedia else { Issue.record("\(String(describing: notMedia))"); return }
        #expect(reason.hasPrefix("ffmpeg cannot read it: ") && !reason.contains(folder.path), "\(reason)")

        let french = await Self.failure { try await transcriber.transcribe(audioFile: silence, language: "fr") }
        #expect(french == .unsupportedLanguage(provider: "PocketSphinx", language: "fr"))
        #expect(try folder.leftovers() == [])

        let denied = PocketSphinxTranscriber(commands: CommandRunner(worker: "video-render", allowed: ["ffmpeg"]), scratchDirectory: folder.scratch)
        let notAllowed = await Self.failure { try await denied.transcribe(audioFile: silence, language: "en") }
        #expect(notAllowed?.message.contains("pocketsphinx_continuous") == true && notAllowed?.code == "transcription_not_configured")
    }

    // MARK: Deepgram

    static let apiKey = "dg-test-0123456789abcdef"

    @Test func deepgramGetsTheAudioAsItsAPIWantsAndItsPunctuatedWordsComeBack() async throws {
        let stub = try await StubServer("deepgram_stub.py", [Self.apiKey])
        let folder = try TestFolder()
        let audio = try await folder.speak("hello world, this is a test", voice: "en-us", speed: 160)
        let duration = try await folder.duration(audio)

        let words = try await Self.deepgram(stub, folder).run(audio, language: "en-US").get()
        #expect(words.map(\.text) == ["Hello,", "world.", "This", "is", "a", "test", "of", "the", "captions."])
        #expect(zip(words, words.dropFirst()).allSatisfy { $0.end <= $1.start } && words.allSatisfy { $0.end > $0.start })
        #expect(abs((words.last?.end ?? 0) - duration) < 0.2, "the stub spread the words over the audio it was sent")
        #expect(CaptionLines().segments(words).map(\.text) == ["Hello, world.", "This is a test of the captions."])

        let request = try #require(try await stub.requests().first)
        #expect(request["method"] as? String == "POST" && request["path"] as? String == "/v1/listen")
        #expect(request["query"] as? [String: String] == ["model": "nova-3", "smart_format": "true", "punctuate": "true",
                                                         "utterances": "true", "language": "en-US"])
        #expect(request["authorization"] as? String == "Token " + Self.apiKey)
        #expect(request["content_type"] as? String == "audio/flac")
        #expect((request["body_bytes"] as? Int ?? 0) > 1000)
        let sent = try #require(request["audio"] as? [String: Any])
        #expect(sent["format"] as? String == "flac" && sent["sample_rate"] as? Int == 16_000 && sent["channels"] as? Int == 1)
        #expect(try folder.leftovers() == [])

        // Silence: Deepgram answers an empty transcript.
        try await stub.control("/_control/transcript?text=")
        #expect(try await Self.deepgram(stub, folder).run(audio).get() == [])
    }

    @Test func aWrongKeyIsAClearErrorAndIsNotRetried() async throws {
        let stub = try await StubServer("deepgram_stub.py", [Self.apiKey])
        let folder = try TestFolder()
        let audio = try await folder.speak("hello", voice: "en-us", speed: 160)
        let client = Self.deepgram(stub, folder, key: "dg-wrong")

        let result = await client.run(audio)
        guard case .failure(let error) = result else { Issue.record("\(result)"); return }
        guard case .refused(provider: "Deepgram", status: 401, _) = error else { Issue.record("\(error)"); return }
        #expect(error.message.hasPrefix("Deepgram refused the API key (401): INVALID_AUTH: Invalid credentials. (request "), "\(error.message)")
        #expect(error.status == 502 && error.code == "transcription_refused")
        #expect(try await stub.requests().count == 1 && client.pauses.withLock { $0 } == [])
    }

    @Test func a503IsRetriedOnceAndTwoFail() async throws {
        let stub = try await StubServer("deepgram_stub.py", [Self.apiKey])
        let folder = try TestFolder()
        let audio = try await folder.speak("hello", voice: "en-us", speed: 160)

        try await stub.control("/_control/fail?status=503&times=1")
        let client = Self.deepgram(stub, folder)
        #expect(try await client.run(audio).get().count == 9)
        #expect(try await stub.requests().count == 2 && client.pauses.withLock { $0 } == [1])

        try await stub.control("/_control/reset")
        try await stub.control("/_control/fail?status=429&times=1")
        let limited = Self.deepgram(stub, folder)
        #expect(try await limited.run(audio).get().count == 9)
        #expect(limited.pauses.withLock { $0 } == [2], "after its Retry-After")

        try await stub.control("/_control/reset")
        try await stub.control("/_control/fail?status=503&times=2")
        let failing = Self.deepgram(stub, folder)
        let result = await failing.run(audio)
        guard case .failure(.failed(provider: "Deepgram", let message)) = result else { Issue.record("\(result)"); return }
        #expect(message.hasPrefix("it answered 503 twice: INTERNAL_SERVER_ERROR: scripted failure (request "), "\(message)")
        #expect(try await stub.requests().count == 2, "once more, not again and again")
    }

    @Test func deepgramAnswersAreReadLeniently() {
        let answer = #"{"results":{"channels":[{"alternatives":[{"transcript":"hi there","words":[{"word":"hi","start":0.1,"end":0.3},{"word":"there","punctuated_word":"there.","start":0.4,"end":0.7,"speaker":0},{"word":"x"}]}]}]}}"#
        #expect(DeepgramAnswer.words(Array(answer.utf8)) == [Self.word("hi", 0.1, 0.3), Self.word("there.", 0.4, 0.7)])
        #expect(DeepgramAnswer.words(Array(#"{"results":{"channels":[{"alternatives":[]}]}}"#.utf8)) == [])
        #expect(DeepgramAnswer.words(Array(#"{"err_msg":"no"}"#.utf8)) == nil)
        #expect(DeepgramAnswer.message(Array(#"{"category":"INVALID_JSON","message":"Invalid JSON submitted.","details":"..."}"#.utf8))
                == "INVALID_JSON: Invalid JSON submitted.")
        #expect(DeepgramAnswer.message(Array("Bad Gateway".utf8)) == "Bad Gateway")
        #expect(DeepgramTranscriber.url(base: "https://api.deepgram.com/v1", language: "en&x=1") == nil)
        #expect(DeepgramTranscriber.url(base: "https://api.deepgram.com/v1", language: "multi")
                == "https://api.deepgram.com/v1/listen?model=nova-3&smart_format=true&punctuate=true&utterances=true&language=multi")
    }

    // MARK: Configuration

    @Test func theTranscriberFollowsTheWorkersVars() throws {
        func config(_ vars: [String: String], secrets: [String: String] = [:]) throws(TranscriptionError) -> any Transcriber {
            try TranscriberConfig(env: WorkerEnv(name: "video-render", vars: vars, secrets: secrets, dataDirectory: "/nonexistent",
                                                 logger: Logger(label: "test"))).transcriber
        }
        #expect(try config([:]) is PocketSphinxTranscriber)
        #expect(try config(["TRANSCRIPTION": "offline"]) is PocketSphinxTranscriber)
        let deepgram = try #require(try config(["TRANSCRIPTION": "deepgram"], secrets: ["DEEPGRAM_API_KEY": "k"]) as? DeepgramTranscriber)
        #expect(deepgram.baseURL == "https://api.deepgram.com/v1" && deepgram.apiKey == "k")
        let stubbed = try config(["TRANSCRIPTION": "deepgram", "DEEPGRAM_API_BASE": "http://127.0.0.1:9/v1/"], secrets: ["DEEPGRAM_API_KEY": "k"])
        #expect((stubbed as? DeepgramTranscriber)?.baseURL == "http://127.0.0.1:9/v1")

        let noKey = #expect(throws: TranscriptionError.self) { try config(["TRANSCRIPTION": "deepgram"]) }
        #expect(noKey?.message.contains("DEEPGRAM_API_KEY") == true && noKey?.code == "transcription_not_configured", "\(String(describing: noKey))")
        let unknown = #expect(throws: TranscriptionError.self) { try config(["TRANSCRIPTION": "whisper"]) }
        #expect(unknown?.message.contains("\"offline\" or \"deepgram\"") == true)
    }

    // MARK: Helpers

    static let commands = CommandRunner(worker: "video-render", allowed: ["ffmpeg", "pocketsphinx_continuous"])

    /// The error a transcription ended with, or nil when it did not fail.
    static func failure(_ body: () async throws -> [Captions.Word]) async -> TranscriptionError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? TranscriptionError
        }
    }

    /// How many of `expected` appear in `heard` in the same order (their longest common subsequence).
    static func inOrder(_ expected: [String], _ heard: [String]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: heard.count + 1), count: expected.count + 1)
        for i in expected.indices {
            for j in heard.indices {
                table[i + 1][j + 1] = expected[i] == heard[j].lowercased() ? table[i][j] + 1 : max(table[i][j + 1], table[i + 1][j])
            }
        }
        return table[expected.count][heard.count]
    }

    static func deepgram(_ stub: StubServer, _ folder: TestFolder, key: String = apiKey) -> DeepgramClient {
        DeepgramClient(baseURL: stub.base + "/v1", key: key, scratch: folder.scratch)
    }

    /// A `DeepgramTranscriber` run on an event loop of its own (outbound fetch sends from the caller's loop),
    /// recording the retry pauses it asks for instead of sleeping them.
    final class DeepgramClient: Sendable {
        let baseURL: String
        let key: String
        let scratch: String
        let pauses = Mutex<[Double]>([])

        init(baseURL: String, key: String, scratch: String) {
            self.baseURL = baseURL
            self.key = key
            self.scratch = scratch
        }

        func run(_ audio: String, language: String = "en") async -> Result<[Captions.Word], TranscriptionError> {
            let group = try! EventLoopGroup(count: 1)
            group.start()
            defer { group.shutdown() }
            var transcriber = DeepgramTranscriber(baseURL: baseURL, apiKey: key,
                                                  outbound: OutboundFetcher(worker: "video-render", allowed: [OutboundHostPattern("http://127.0.0.1:*")!]),
                                                  commands: TranscriptionTests.commands, scratchDirectory: scratch)
            transcriber.pause = { [self] seconds in pauses.withLock { $0.append(seconds) } }
            return await Task(executorPreference: group.loops[0]) { [transcriber] in
                do throws(TranscriptionError) {
                    return .success(try await transcriber.transcribe(audioFile: audio, language: language))
                } catch {
                    return .failure(error)
                }
            }.value
        }
    }

    /// A test's own folder: its recordings, and the scratch folder transcriptions work in (left empty after).
    final class TestFolder: Sendable {
        let path: String
        var scratch: String { path + "/scratch" }

        init() throws {
            path = NSTemporaryDirectory() + "ozzi-transcription-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// `text` spoken by espeak-ng into a WAV.
        func speak(_ text: String, voice: String, speed: Int) async throws -> String {
            let file = path + "/speech-\(UUID().uuidString.prefix(8)).wav"
            let run = try await Subprocess.run("/usr/bin/espeak-ng", ["-v", voice, "-s", String(speed), "-w", file, text])
            #expect(run.status == 0, "\(run.stderr)")
            return file
        }

        func ffmpeg(_ arguments: [String]) async throws {
            let run = try await Subprocess.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
        }

        func duration(_ file: String) async throws -> Double {
            let run = try await Subprocess.run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file])
            return try #require(Double(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        /// What transcriptions left in the scratch folder.
        func leftovers() throws -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []
        }
    }
}
