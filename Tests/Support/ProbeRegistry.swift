import OzziRuntime

/// The worker modules test hosts run.
public enum ProbeRegistry {
    public static var registry: WorkerRegistry {
        var registry = WorkerRegistry()
        registry.register("probe", ProbeWorker.self)
        registry.register("queue-probe", QueueProbeWorker.self)
        return registry
    }
}
