import OzziRuntime

/// A media file's first audio track as mono 16 kHz audio, the rate both recognisers work at: WAV for
/// PocketSphinx, FLAC for an upload (lossless and about half the bytes).
enum AudioExtraction {
    enum Format: String, Sendable {
        case wav, flac

        var contentType: String { "audio/" + rawValue }
    }

    /// Ten minutes: decoding an hour of audio from a video takes about a minute on one core.
    static let timeoutMilliseconds = 600_000

    /// Writes `input`'s audio to `output`.
    static func extract(_ input: String, to output: String, as format: Format, commands: CommandRunner) async throws(TranscriptionError) {
        let result: CommandResult
        do {
            result = try await commands.run("ffmpeg", arguments(input, output, format), timeoutMilliseconds: timeoutMilliseconds, maxOutputBytes: 1 << 20, priority: .background)
        } catch {
            throw TranscriptionError(error)
        }
        guard result.succeeded else { throw .noAudio(reason(result.stderr, input: input)) }
    }

    static func arguments(_ input: String, _ output: String, _ format: Format) -> [String] {
        // `-map 0:a:0`: the first audio track or an error (not silence) when there is none. Bit-exact, with no
        // metadata: PocketSphinx 0.8 skips a fixed 44-byte WAV header, so no LIST chunk may come before the samples.
        ["-nostdin", "-v", "error", "-y", "-i", input, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000",
         "-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact", "-f", format.rawValue, output]
    }

    /// ffmpeg's reason in words a person reads, without the file's path (a folder of this host's).
    static func reason(_ stderr: [UInt8], input: String) -> String {
        let text = String(decoding: stderr, as: UTF8.self)
        if text.contains("matches no streams") { return "the file has no audio track" }
        guard var last = text.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init) else {
            return "ffmpeg cannot read it"
        }
        if last.hasPrefix(input + ": ") { last.removeFirst(input.count + 2) }
        return "ffmpeg cannot read it: " + last
    }
}
