import ArgumentParser
import BuiltinWorkers
import Foundation
import Logging
import OzziRuntime

/// `ozzi openapi`: prints the OpenAPI document exactly as the host serves it at `/api/v1/openapi.json`,
/// without a socket, so `scripts/generate-client.sh` can regenerate the Swift client from the code alone.
///
/// The host is built for real on a scratch data folder and asked in-process, as `ozzi check` builds it:
/// the document comes from the same registrations that route requests, not from a second description.
struct OpenAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi", abstract: "Print the api's OpenAPI document (pretty JSON, sorted keys) without serving.")
    @OptionGroup var options: HostOptions
    @Option(help: "The document's path on the host.") var path = "/api/v1/openapi.json"

    func run() async throws {
        // Errors go to stderr (LogOutput); stdout carries only the document. A scratch host's warnings (no secrets set) are noise here.
        LoggingSystem.bootstrap { LineLogHandler(label: $0, level: .error, format: .human) }
        var config = try HostRunner.withConfigErrors { try options.loadConfig() }
        config.server.dataDirectory = NSTemporaryDirectory() + "ozzi-openapi-\(UUID().uuidString)"
        // The document does not depend on the engines: a scratch host on the embedded ones.
        config.server.backends = HostConfig.Backends()
        defer { try? FileManager.default.removeItem(atPath: config.server.dataDirectory) }
        let host = try HostRunner.withConfigErrors {
            try WorkerHost(config: config, registry: BuiltinWorkers.registry, loops: 1, logger: Logger(label: "openapi"))
        }
        try await host.startInProcess()
        let response = await host.respond(to: Request(method: "GET", target: path, headers: ["Host": "127.0.0.1"]))
        await host.shutdown()
        guard response.status == 200, case .bytes(let body) = response.body else {
            LogOutput.write("error: GET \(path) answered \(response.status)\n")
            throw ExitCode(1)
        }
        print(try Self.pretty(body))
    }

    /// Indented with sorted keys, so a change to the document reads as a small diff where it is committed.
    static func pretty(_ json: [UInt8]) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
