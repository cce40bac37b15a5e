import OzziRuntime

/// The simulated provider's recording of a call: what was said, spoken by espeak-ng into a WAV (16-bit
/// PCM), so the recording path — callback, fetch, bucket, ranged playback — carries real audio offline.
struct SpokenRecording: Sendable, Equatable {
    let wav: [UInt8]

    /// Whole seconds of audio, rounded up, as Twilio's RecordingDuration counts them.
    var durationSeconds: Int {
        guard wav.count >= 44 else { return 0 }
        let byteRate = Self.uint32(wav, at: 28)
        guard byteRate > 0 else { return 0 }
        return (wav.count - 44 + byteRate - 1) / byteRate
    }

    /// `text` spoken; nil when there is nothing to say (Twilio's `absent`).
    static func speak(_ text: String, commands: CommandRunner) async throws -> SpokenRecording? {
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        // Text on standard input: nothing a caller said can become one of espeak-ng's options.
        let result = try await commands.run("espeak-ng", ["--stdout", "-v", "en-us"], input: Array(text.utf8), timeoutMilliseconds: 120_000)
        guard result.succeeded else {
            throw CommandFailure(message: "espeak-ng exited with \(result.status.map(String.init) ?? "signal \(result.signal ?? 0)"): "
                                 + String(decoding: result.stderr.prefix(300), as: UTF8.self))
        }
        return SpokenRecording(wav: Self.sized(result.stdout))
    }

    /// espeak-ng writing to a pipe cannot seek back to fill in its header's sizes and leaves placeholders:
    /// the RIFF and data sizes are set from the bytes it wrote, as players and Twilio's files have them.
    static func sized(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 44, bytes[0..<4] == Array("RIFF".utf8)[...], bytes[36..<40] == Array("data".utf8)[...] else { return bytes }
        var wav = bytes
        put(UInt32(wav.count - 8), into: &wav, at: 4)
        put(UInt32(wav.count - 44), into: &wav, at: 40)
        return wav
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    private static func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    struct CommandFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
