/// A configuration problem, naming the file, the worker (if any) and the key, so it can be fixed at once.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let worker: String?
    public let key: String?
    public let message: String

    public init(file: String, worker: String? = nil, key: String? = nil, message: String) {
        self.file = file
        self.worker = worker
        self.key = key
        self.message = message
    }

    public var description: String {
        var where_ = file
        if let worker { where_ += ": worker '\(worker)'" }
        if let key { where_ += ": key '\(key)'" }
        return "\(where_): \(message)"
    }
}
