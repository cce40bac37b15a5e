import ArgumentParser
import BuiltinWorkers
import Glibc
import Logging
import OzziRuntime

/// Options every host command shares; flags override the configuration file.
struct HostOptions: ParsableArguments {
    @Option(help: "Configuration file.")
    var config = "wrangler-like.toml"

    @Option(help: "Apply the [env.NAME] section of the configuration.")
    var env: String?

    @Option(help: "Address to listen on (overrides [server] host).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (overrides [server] port).")
    var port: Int?

    @Option(help: "Event loops; 0 means one per core (overrides [server] loops).")
    var loops: Int?

    @Option(name: .customLong("data-dir"), help: "Data directory (overrides [server] data_dir).")
    var dataDir: String?

    @Option(name: .customLong("var"), help: ArgumentHelp(
        "Sets a worker's var (overrides its [workers.vars]); repeatable.", valueName: "WORKER.NAME=VALUE"))
    var vars: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if let loops, !(0...256).contains(loops) { throw ValidationError("--loops must be 0...256") }
        _ = try overrides()
    }

    /// The flags, as overrides of the file.
    func overrides() throws -> ConfigOverrides {
        var overrides = ConfigOverrides(host: host, port: port, loops: loops, dataDirectory: dataDir)
        for assignment in vars {
            do {
                try overrides.addVar(assignment)
            } catch {
                throw ValidationError("--var \(error)")
            }
        }
        return overrides
    }

    /// Loads and validates the configuration, then applies the flags.
    func loadConfig() throws -> HostConfig {
        let loader = ConfigLoader(
            file: config, modules: Set(BuiltinWorkers.registry.modules),
            environment: ProcessEnvironment.current)
        var loaded = try loader.load(env: env)
        try overrides().apply(to: &loaded)
        return loaded
    }

    var level: Logger.Level {
        get throws {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            return level
        }
    }
}

/// The process environment as a dictionary, for secret resolution.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}
