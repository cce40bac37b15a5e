import Logging
import OzziRuntime

/// Keeps every host's in-memory cache of one kind in step: a host that changes what a cache holds tells
/// the others on `topic` through pub/sub (Redis across hosts), and each forgets at once. Verified API keys
/// and the forms read by key use it.
///
/// Best effort on top of each cache's own short life: with pub/sub away, another host serves a stale
/// entry until it expires, never longer.
struct CacheSync: Sendable {
    let topic: String
    let pubsub: any PubSubBroker
    let logger: Logger

    /// Tells every host (this one included) to forget what `message` names.
    func forget(_ message: JSONValue) {
        Task { [pubsub, logger, topic] in
            do {
                try await pubsub.publish(topic, message)
            } catch {
                logger.warning("could not tell other hosts to forget cached entries", metadata: ["topic": "\(topic)", "error": "\(error)"])
            }
        }
    }
}

/// Listens for a `CacheSync`'s messages for the host's lifetime, handing each to `apply` (this host's own
/// included: forgetting twice is harmless). Subscribes again while pub/sub is away.
struct CacheSyncListener: Service {
    let sync: CacheSync
    let apply: @Sendable (JSONValue) -> Void

    func run() async throws {
        try? await cancelOnGracefulShutdown { [sync, apply] in
            var backoff = 100
            while !Task.isCancelled {
                do {
                    let subscription = try await sync.pubsub.subscribe(sync.topic)
                    backoff = 100
                    for await message in subscription.messages { apply(message) }
                    subscription.cancel()
                } catch {
                    sync.logger.warning("cannot listen for cache changes on other hosts; retrying", metadata: ["topic": "\(sync.topic)", "error": "\(error)"])
                    try await Task.sleep(for: .milliseconds(backoff))
                    backoff = min(backoff * 2, 5_000)
                }
            }
        }
    }
}
