/// What may change in a loaded configuration without editing its file: where the host listens and keeps
/// its data, how many loops it runs, and workers' vars and secrets. Bindings and routes have no override,
/// so the file stays the one place they are written — for the command line, tests and benchmarks alike.
public struct ConfigOverrides: Sendable, Equatable {
    public var host: String?
    public var port: Int?
    public var loops: Int?
    public var dataDirectory: String?
    /// Vars to add or replace, by worker name, then var name.
    public var vars: [String: [String: String]] = [:]
    /// Secrets to declare with these values, by worker name. For tests: a command line leaves secrets to the
    /// environment and `.dev.vars`, where `ps` cannot read them.
    public var secrets: [String: [String: String]] = [:]

    public init(host: String? = nil, port: Int? = nil, loops: Int? = nil, dataDirectory: String? = nil) {
        self.host = host
        self.port = port
        self.loops = loops
        self.dataDirectory = dataDirectory
    }

    /// Adds one `WORKER.NAME=VALUE` assignment, the form of `ozzi serve --var`. The worker is named because
    /// one host runs several workers and each sees only its own vars; the value may contain `=` and `.`.
    public mutating func addVar(_ assignment: String) throws(ConfigOverrides.BadVar) {
        guard let eq = assignment.firstIndex(of: "="), let dot = assignment[..<eq].lastIndex(of: ".") else {
            throw BadVar(assignment: assignment)
        }
        let worker = String(assignment[..<dot])
        let name = String(assignment[assignment.index(after: dot)..<eq])
        guard !worker.isEmpty, !name.isEmpty else { throw BadVar(assignment: assignment) }
        vars[worker, default: [:]][name] = String(assignment[assignment.index(after: eq)...])
    }

    /// Applies the overrides; a var or secret for a worker the file does not configure is an error naming it.
    public func apply(to config: inout HostConfig) throws(ConfigError) {
        if let host { config.server.host = host }
        if let port { config.server.port = port }
        if let loops { config.server.loops = loops }
        if let dataDirectory { config.server.dataDirectory = dataDirectory }
        for (worker, values) in vars {
            let index = try workerIndex(worker, in: config, key: "vars")
            config.workers[index].vars.merge(values) { $1 }
        }
        for (worker, values) in secrets {
            let index = try workerIndex(worker, in: config, key: "secrets")
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                if !config.workers[index].secretNames.contains(name) { config.workers[index].secretNames.append(name) }
                config.workers[index].secrets[name] = value
            }
        }
    }

    private func workerIndex(_ name: String, in config: HostConfig, key: String) throws(ConfigError) -> Int {
        guard let index = config.workers.firstIndex(where: { $0.name == name }) else {
            throw ConfigError(file: config.file, worker: name, key: key,
                              message: "overridden for a worker this file does not configure; workers: "
                                  + config.workers.map(\.name).joined(separator: ", "))
        }
        return index
    }

    /// A `--var` that is not `WORKER.NAME=VALUE`.
    public struct BadVar: Error, Equatable, CustomStringConvertible {
        public let assignment: String
        public var description: String { "'\(assignment)' is not WORKER.NAME=VALUE (e.g. api.DEFAULT_COUNTRY=GB)" }
    }
}
