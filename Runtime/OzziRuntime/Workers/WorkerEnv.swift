import Logging

/// What a worker's configuration grants it; a worker reaches nothing else (deny by default).
public struct WorkerEnv: Sendable {
    public let name: String
    /// Plain-text configuration from `[workers.vars]`.
    public let vars: [String: String]
    /// Secrets the worker declared, from the environment or `.dev.vars`.
    private let secrets: [String: String]
    /// The worker's own folder under the data dir.
    public let dataDirectory: String
    public let logger: Logger

    public init(name: String, vars: [String: String] = [:], secrets: [String: String] = [:], dataDirectory: String, logger: Logger) {
        self.name = name
        self.vars = vars
        self.secrets = secrets
        self.dataDirectory = dataDirectory
        self.logger = logger
    }

    /// A declared secret's value; asking for an undeclared one is an error naming it.
    public func secret(_ name: String) throws -> String {
        guard let value = secrets[name] else { throw BindingError.notGranted(worker: self.name, kind: "secret", name: name) }
        return value
    }

    /// A var's value, or `defaultValue`.
    public func `var`(_ name: String, default defaultValue: String) -> String {
        vars[name] ?? defaultValue
    }
}

/// A worker asked for something its configuration does not grant.
public enum BindingError: Error, Equatable, CustomStringConvertible {
    case notGranted(worker: String, kind: String, name: String)

    public var description: String {
        switch self {
        case .notGranted(let worker, let kind, let name):
            "worker '\(worker)' has no \(kind) named '\(name)' in its configuration"
        }
    }
}
