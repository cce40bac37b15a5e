/// The body of each worker's status route: which worker answered and that it is up.
public struct WorkerStatus: Codable, Sendable, Equatable {
    public let worker: String
    public let module: String
    public let status: String

    public init(worker: String, module: String, status: String = "ok") {
        self.worker = worker
        self.module = module
        self.status = status
    }

    /// A handler answering this worker's status; the answer never changes, so it is encoded once.
    public static func route(worker: String, module: String) -> Router.Handler {
        let response = Response.json(WorkerStatus(worker: worker, module: module))
        return { _, _ in response }
    }
}
