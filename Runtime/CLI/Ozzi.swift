import APIWorker
import ArgumentParser
import BuiltinWorkers
import Glibc
import Logging
import OzziRuntime

@main
struct Ozzi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ozzi",
        abstract: "Ozzi Edge: a worker runtime that serves the modules named in wrangler-like.toml.",
        subcommands: [Serve.self, Dev.self, Check.self, Migrate.self, Trigger.self, Admin.self, OpenAPICommand.self, TailCommand.self],
        defaultSubcommand: Serve.self)
}

/// Runs the host with JSON logs, for production and CI.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the host (JSON logs).")
    @OptionGroup var options: HostOptions

    func run() async throws {
        try await HostRunner.serve(options, dev: false)
    }
}

/// Runs the host with human-readable logs and `/__scheduled`, for local development.
struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the host for local development (readable logs, /__scheduled).")
    @OptionGroup var options: HostOptions

    func run() async throws {
        try await HostRunner.serve(options, dev: true)
    }
}

/// Validates the configuration (building every worker against scratch data) and prints the route table.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration and print the route table.")
    @OptionGroup var options: HostOptions

    func run() async throws {
        let config = try HostRunner.withConfigErrors { try options.loadConfig() }
        let output = try HostRunner.withConfigErrors { try RouteListing.render(config, registry: BuiltinWorkers.registry) }
        print(output)
    }
}

/// Applies pending SQL migrations of every database binding.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending SQL migrations.")
    @OptionGroup var options: HostOptions

    func run() async throws {
        let config = try HostRunner.withConfigErrors { try options.loadConfig() }
        do {
            for (worker, binding, applied) in try WorkerHost.migrate(config) {
                print("\(worker).\(binding): " + (applied.isEmpty ? "up to date" : "applied \(applied.joined(separator: ", "))"))
            }
        } catch let error as ConfigError {
            LogOutput.write("error: \(error)\n")
            throw ExitCode(78)
        } catch {
            LogOutput.write("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Runs one worker's scheduled handler for one cron trigger, once.
struct Trigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a worker's cron trigger once, now.")
    @OptionGroup var options: HostOptions
    @Argument(help: "The worker's name.") var worker: String
    @Argument(help: "The cron expression, exactly as configured.") var cron: String

    func run() async throws {
        let (host, _) = try HostRunner.build(options, dev: false)
        guard await host.runScheduled(worker: worker, cron: cron) else {
            LogOutput.write("error: worker '\(worker)' has no trigger '\(cron)', or its run failed\n")
            throw ExitCode(1)
        }
        print("ran \(worker) \"\(cron)\"")
    }
}

/// Platform administration on the api worker's data.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Platform administration.", subcommands: [Grant.self])

    /// `ozzi admin grant EMAIL`: makes an existing account a platform admin.
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the account with EMAIL a platform admin.")
        @OptionGroup var options: HostOptions
        @Argument(help: "The account's email.") var email: String

        func run() async throws {
            let (host, _) = try HostRunner.build(options, dev: false)
            guard let api = host.workers.values.compactMap({ $0 as? APIWorker }).first else {
                LogOutput.write("error: no worker runs the api module in \(options.config)\n")
                throw ExitCode(78)
            }
            guard try await api.grantPlatformAdmin(email: email) else {
                LogOutput.write("error: no account has the email \(email)\n")
                throw ExitCode(1)
            }
            print("\(email.lowercased()) is now a platform admin")
        }
    }
}

enum HostRunner {
    static func build(_ options: HostOptions, dev: Bool) throws -> (WorkerHost, Logger) {
        let level = try options.level
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, level: level, format: dev ? .human : .json)
        }
        let logger = Logger(label: "ozzi")
        let config = try withConfigErrors { try options.loadConfig() }
        let host = try withConfigErrors {
            try WorkerHost(config: config, registry: BuiltinWorkers.registry, loops: config.server.loops, logger: logger, devRoutes: dev,
                           logFormat: dev ? .human : .json)
        }
        return (host, logger)
    }

    static func serve(_ options: HostOptions, dev: Bool) async throws {
        let (host, logger) = try build(options, dev: dev)
        do {
            _ = try await host.start()
        } catch let error as ConfigError {
            // A shared engine that cannot be reached at start-up is a configuration problem: exit 78.
            LogOutput.write("error: \(error)\n")
            throw ExitCode(78)
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        do {
            try await host.runUntilSignalled()
        } catch {
            logger.critical("stopped after a failure", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
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
