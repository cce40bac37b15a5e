import OzziRuntime

/// What media jobs use: the bucket they read and write (shared with the api by name), the programs they run
/// (ffmpeg, ffprobe, pocketsphinx: `allowed_commands`), and the worker's folder for their files.
struct MediaTools: Sendable {
    let bucket: any Bucket
    let commands: CommandRunner
    let dataDirectory: String
    let clock: any WallClock
}
