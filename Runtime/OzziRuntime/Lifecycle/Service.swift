/// A long-running part of the host: HTTP serving, cron, a queue consumer, housekeeping, the access log,
/// or a worker's own (renders, campaign runners, call sessions).
///
/// One shape for all of them, as in swift-service-lifecycle: `run()` does the work until the part is asked
/// to stop gracefully (see `gracefulShutdown()`, `withGracefulShutdownHandler`, `cancelOnGracefulShutdown`),
/// then finishes what is in flight and returns. When its task is cancelled (the shutdown deadline passed),
/// it must return promptly, abandoning what is left. A `ServiceGroup` runs services and orders their stops.
public protocol Service: Sendable {
    func run() async throws
}
