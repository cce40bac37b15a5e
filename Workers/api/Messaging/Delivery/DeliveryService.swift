import Logging
import OzziRuntime

/// The delivery engine's part in the host's lifecycle. At start it beats its first heartbeat and settles
/// what a stopped host left `sending`, so a restart resumes in seconds rather than at the next batch or
/// sweep; then it beats every third of the lease, settling the claims of hosts that stopped beating (a
/// cluster host killed mid-delivery). Asked to stop, it waits for the sends in flight and their results
/// to be recorded (the queue consumers stop before the workers' services, so no new claims arrive
/// meanwhile), then leaves. Past the shutdown deadline it gives up: no more sends start, and what is left
/// is settled by the next start or another host.
struct DeliveryService: Service {
    let engine: DeliveryEngine
    let logger: Logger

    func run() async throws {
        do {
            try await engine.hosts.beat()
            try await engine.recoverOnce()
        } catch {
            logger.error("could not settle sends a stopped host left; the next batch or sweep tries again", metadata: ["error": "\(error)"])
        }
        try? await cancelOnGracefulShutdown { [engine, logger] in
            while true {
                try await Task.sleep(for: engine.hosts.heartbeatInterval)
                do {
                    try await engine.hosts.beat()
                    try await engine.settleGone()
                } catch {
                    logger.warning("delivery heartbeat failed", metadata: ["error": "\(error)"])
                }
            }
        }
        await engine.sends.drained()
        // Past the deadline, sends still waiting are not started: once this host has left, another (or the
        // next start) settles them and sends them, and this one must not send them too.
        engine.sends.close()
        try? await engine.hosts.leave()
    }
}
