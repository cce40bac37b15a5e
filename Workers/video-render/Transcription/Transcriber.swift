import VideoTimeline

/// Speech to timed words: what captions are made from (grouped into lines by `CaptionLines`).
///
/// Two providers: PocketSphinx on this host (the default: offline, English only) and Deepgram's
/// prerecorded API. `TranscriberConfig` picks one from the worker's vars.
protocol Transcriber: Sendable {
    /// The words spoken in `path` (any file ffmpeg reads; a video's first audio track is used), in order,
    /// times in seconds from the file's start. `language` is a BCP-47 tag (`en`, `en-US`).
    func transcribe(audioFile path: String, language: String) async throws(TranscriptionError) -> [Captions.Word]
}
