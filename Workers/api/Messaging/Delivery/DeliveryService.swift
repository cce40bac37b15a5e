import Logging
import OzziRuntime

/// The delivery engine's part in the host's lifecycle. At start it settles what a stopped host left
/// `sending`, so a restart resumes in seconds rather than at the next batch or sweep. Asked to stop, it
/// waits for the sends in flight and their results to be recorded: the queue consumers stop before the
/// workers' services, so no new claims arrive meanwhile. Past the shutdown deadline it gives up, and what
/// is left is settled at the next start.
struct DeliveryService: Service {
    let engine: DeliveryEngine
    let logger: Logger

    func run() async throws {
        do {
            try await engine.recoverOnce()
        } catch {
            logger.error("could not settle sends a stopped host left; the next batch or sweep tries again", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        await engine.sends.drained()
    }
}
