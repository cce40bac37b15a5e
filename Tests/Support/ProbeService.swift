import OzziRuntime
import Synchronization

/// The probe worker's own long-running part, as renders or campaign runners will be: it records that it
/// started and how it stopped, by the worker's data folder (tests run hosts side by side). Asked to stop,
/// it still uses its bindings (a KV write read back), which must be open at that point of a shutdown.
public struct ProbeService: Service {
    let env: WorkerEnv

    private static let journals = Mutex<[String: [String]]>([:])

    /// What the service of the worker whose data folder is `folder` did, in order.
    public static func events(_ folder: String) -> [String] {
        journals.withLock { $0[folder] ?? [] }
    }

    private func record(_ event: String) {
        Self.journals.withLock { $0[env.dataDirectory, default: []].append(event) }
    }

    public func run() async throws {
        record("started")
        do {
            try await gracefulShutdown()
        } catch {
            record("cancelled")
            throw error
        }
        record("asked to stop")
        guard let kv = env.bindings.kv["KV"] else {
            record("stopped")
            return
        }
        do {
            try await kv.put("probe-service", "stopping")
            record(try await kv.getText("probe-service") == "stopping" ? "stopped; KV answered" : "stopped; KV lost the write")
        } catch {
            record("stopped; KV failed: \(error)")
        }
    }
}
