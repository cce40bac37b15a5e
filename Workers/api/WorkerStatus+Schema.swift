import OzziRuntime

/// `GET /api/v1/status`, as the runtime answers it for every worker.
extension WorkerStatus: APIModel {
    static let schema = Schema.object([
        .required("worker", Schema.string().example("api").described("The worker's name in wrangler-like.toml")),
        .required("module", Schema.string().example("api").described("The built-in module it runs")),
        .required("status", .oneOf(["ok"])),
    ], closed: true)
}
