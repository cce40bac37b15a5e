import ArgumentParser
import Glibc
import Logging
import OzziRuntime

@main
struct Ozzi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ozzi",
        abstract: "Ozzi Edge: a worker runtime that serves the modules named in wrangler-like.toml.",
        subcommands: [Serve.self, Dev.self, Check.self],
        defaultSubcommand: Serve.self)
}

/// Runs the host with JSON logs, for production and CI.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the host (JSON logs).")
    @OptionGroup var options: HostOptions

    func run() async throws {
        try await HostRunner.run(options, human: false)
    }
}

/// Runs the host with human-readable logs, for local development.
struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the host for local development (readable logs).")
    @OptionGroup var options: HostOptions

    func run() async throws {
        try await HostRunner.run(options, human: true)
    }
}

/// Validates the configuration and prints the route table.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration and print the route table.")
    @OptionGroup var options: HostOptions

    func run() async throws {
        let config = try HostRunner.withConfigErrors { try options.loadConfig() }
        print(RouteListing.render(config, registry: BuiltinWorkers.registry))
    }
}

enum HostRunner {
    static func run(_ options: HostOptions, human: Bool) async throws {
        let level = try options.level
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, level: level, format: human ? .human : .json)
        }
        let logger = Logger(label: "ozzi")
        let config = try withConfigErrors { try options.loadConfig() }
        let host = try withConfigErrors {
            try WorkerHost(config: config, registry: BuiltinWorkers.registry, loops: config.server.loops, logger: logger)
        }
        do {
            _ = try await host.start()
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        await host.runUntilSignalled()
    }

    /// Configuration problems print one clear line and exit 78 (EX_CONFIG) instead of a stack of errors.
    static func withConfigErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ConfigError {
            LogOutput.write("error: \(error)\n")
            throw ExitCode(78)
        }
    }
}
