/// The built-in worker modules the host can run, by the name a configuration's `module` key uses.
public struct WorkerRegistry: Sendable {
    public typealias Factory = @Sendable (WorkerEnv) throws -> any Worker

    private var factories: [String: Factory] = [:]

    public init() {}

    public mutating func register<W: Worker>(_ module: String, _ type: W.Type) {
        factories[module] = { try W(env: $0) }
    }

    public func factory(for module: String) -> Factory? {
        factories[module]
    }

    public var modules: [String] { factories.keys.sorted() }
}
