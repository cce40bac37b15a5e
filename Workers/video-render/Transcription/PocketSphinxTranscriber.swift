import OzziRuntime
import VideoTimeline

/// Offline speech recognition on this host: the file's audio as 16 kHz WAV (ffmpeg), then
/// `pocketsphinx_continuous` (Debian's pocketsphinx 0.8 with its US English model) with word times. It
/// knows English only, reads lower case with no punctuation, and errs often: a draft to edit.
struct PocketSphinxTranscriber: Transcriber {
    let commands: CommandRunner
    /// Where each transcription makes its own folder for the converted audio.
    let scratchDirectory: String

    static let provider = "PocketSphinx"

    func transcribe(audioFile path: String, language: String) async throws(TranscriptionError) -> [Captions.Word] {
        guard Self.speaks(language) else { throw .unsupportedLanguage(provider: Self.provider, language: language) }
        return try await ScratchFolder.using(under: scratchDirectory) { (folder) throws(TranscriptionError) -> [Captions.Word] in
            let wav = folder.path + "/audio.wav"
            try await AudioExtraction.extract(path, to: wav, as: .wav, commands: commands)
            let seconds = max(0, await folder.size("audio.wav") - 44) / 32_000
            let result: CommandResult
            do throws(CommandError) {
                result = try await commands.run("pocketsphinx_continuous", Self.arguments(wav),
                                                timeoutMilliseconds: Self.timeoutMilliseconds(audioSeconds: seconds), maxOutputBytes: 64 << 20,
                                                priority: .background)
            } catch {
                throw TranscriptionError(error)
            }
            guard result.succeeded else { throw .failed(provider: Self.provider, message: Self.reason(result)) }
            return PocketSphinxOutput.words(String(decoding: result.stdout, as: UTF8.self))
        }
    }

    /// The model is the package's default (`/usr/share/pocketsphinx/model/en-us`). Its log goes to standard
    /// error, where a failure's reason is read from.
    static func arguments(_ wav: String) -> [String] {
        ["-infile", wav, "-time", "yes"]
    }

    /// Five minutes, plus ten times the audio's length. It recognises at about real time on one slow core,
    /// but it runs at nice 10 (`.background`): on a host whose cores are busy serving requests it gets a
    /// tenth of one or less, and a limit that assumed a core to itself killed it there while it worked (a
    /// one-second clip hit a 63 s limit in a loaded test run). The limit is for a recogniser that hangs.
    static func timeoutMilliseconds(audioSeconds: Int) -> Int {
        300_000 + audioSeconds * 10_000
    }

    /// Its US English model serves any English (`en`, `en-GB`).
    static func speaks(_ language: String) -> Bool {
        let primary = language.split(separator: "-").first.map { $0.lowercased() }
        return primary == "en" || primary == "eng"
    }

    /// The log's last ERROR or FATAL line, else how it ended.
    static func reason(_ result: CommandResult) -> String {
        let log = String(decoding: result.stderr, as: UTF8.self).split(whereSeparator: \.isNewline)
        if let line = log.last(where: { $0.hasPrefix("FATAL") || $0.hasPrefix("ERROR") }) { return String(line) }
        return result.status.map { "pocketsphinx_continuous exited with status \($0)" } ?? "pocketsphinx_continuous was killed by signal \(result.signal ?? 0)"
    }
}
