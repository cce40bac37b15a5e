import OzziRuntime
import Testing
@testable import VoiceAgentWorker

/// The simulated provider's recording: a real WAV from espeak-ng with its header's sizes filled in, and the
/// TwiML that asks Twilio to record.
@Suite struct SpokenRecordingTests {
    @Test func espeakSpeaksAWavWhoseHeaderCountsItsBytes() async throws {
        let commands = CommandRunner(worker: "voice-agent", allowed: ["espeak-ng"])
        let recording = try #require(try await SpokenRecording.speak("Hello. We are open from nine to five.", commands: commands))
        let wav = recording.wav
        #expect(Array(wav.prefix(4)) == Array("RIFF".utf8) && Array(wav[36..<40]) == Array("data".utf8))
        #expect(Self.uint32(wav, 4) == wav.count - 8 && Self.uint32(wav, 40) == wav.count - 44)
        #expect((1...10).contains(recording.durationSeconds), "\(recording.durationSeconds) s")
        #expect(try await SpokenRecording.speak(" ... ", commands: commands) == nil, "nothing said: Twilio's absent")
    }

    @Test func placeholderSizesAreReplacedAndOtherBytesLeftAlone() {
        var streamed = Array("RIFF".utf8) + [0x24, 0xf0, 0xff, 0x7f] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x44, 0xac, 0, 0, 2, 0, 16, 0]
        streamed += Array("data".utf8) + [0x00, 0xf0, 0xff, 0x7f] + [UInt8](repeating: 7, count: 44_100)
        let sized = SpokenRecording.sized(streamed)
        #expect(Self.uint32(sized, 4) == sized.count - 8 && Self.uint32(sized, 40) == 44_100 && sized[44...] == streamed[44...])
        #expect(SpokenRecording(wav: sized).durationSeconds == 1, "44,100 bytes at 44,100 bytes a second")
        #expect(SpokenRecording.sized(Array("not a wav".utf8)) == Array("not a wav".utf8))
    }

    @Test func theTwiMLRecordsTheCallOnlyWhenAsked() {
        let settings = VoiceCallSettings(json: ["greeting": "Hi"])
        let recorded = TwiML.connect(relayURL: "wss://h/voice/ws/c1", action: "https://h/voice/action", callID: "c1", settings: settings,
                                     recordingCallback: "https://h/voice/recording-status")
        #expect(recorded.contains("<Start><Recording channels=\"dual\" recordingStatusCallback=\"https://h/voice/recording-status\" "
                                  + "recordingStatusCallbackMethod=\"POST\" recordingStatusCallbackEvent=\"completed absent\"/></Start><Connect "), "\(recorded)")
        let plain = TwiML.connect(relayURL: "wss://h/voice/ws/c1", action: "https://h/voice/action", callID: "c1", settings: settings)
        #expect(!plain.contains("<Recording"))
        #expect(!settings.recordCalls && VoiceCallSettings(json: ["record_calls": true]).recordCalls, "off unless the number says so")
    }

    static func uint32(_ bytes: [UInt8], _ offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
}
