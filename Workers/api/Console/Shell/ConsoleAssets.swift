import OzziRuntime

/// The console's stylesheet and script: its own, a few kilobytes, served by the worker with a name that
/// changes with their content, so a browser keeps them for a year and never runs a stale one.
enum ConsoleAssets {
    static let stylesheet = Array(ConsoleStylesheet.text.utf8)
    static let script = Array((ConsoleScript.text + "\n" + VoiceLabScript.text).utf8)
    static let stylesheetPath = "/console/assets/console.css?v=" + version(stylesheet)
    static let scriptPath = "/console/assets/console.js?v=" + version(script)

    private static func version(_ bytes: [UInt8]) -> String {
        String(Crypto.hex(Crypto.sha256(bytes)).prefix(12))
    }

    static func response(_ bytes: [UInt8], contentType: String) -> Response {
        Response.bytes(bytes, contentType: contentType)
            .adding(header: "cache-control", "public, max-age=31536000, immutable")
            .adding(header: "x-content-type-options", "nosniff")
    }
}
