import Logging
import OzziRuntime

/// Keeps every host's cache of verified API keys in step: a host that disables or deletes a key, or
/// changes a membership, tells the others through pub/sub (Redis across hosts), and each forgets at once.
///
/// Best effort on top of the cache's five-second life: with pub/sub away, another host serves a stale
/// key for five seconds at most, never longer.
struct PrincipalCacheSync: Sendable {
    static let topic = "api:principal-cache"
    let pubsub: any PubSubBroker
    let logger: Logger

    /// Tells every host to forget `keyID` (nil: every key).
    func forget(keyID: String?) {
        let message: JSONValue = keyID.map { ["forget": .string($0)] } ?? ["forget_all": true]
        Task { [pubsub, logger] in
            do {
                try await pubsub.publish(Self.topic, message)
            } catch {
                logger.warning("could not tell other hosts to forget cached API keys", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Listens for `PrincipalCacheSync`'s messages for the host's lifetime, applying each to this host's cache
/// (its own included: forgetting twice is harmless). Subscribes again while pub/sub is away.
struct PrincipalCacheListener: Service {
    let sync: PrincipalCacheSync
    let apiKeys: APIKeyStore

    func run() async throws {
        try? await cancelOnGracefulShutdown { [sync, apiKeys] in
            var backoff = 100
            while !Task.isCancelled {
                do {
                    let subscription = try await sync.pubsub.subscribe(PrincipalCacheSync.topic)
                    backoff = 100
                    for await message in subscription.messages {
                        if let keyID = message["forget"]?.stringValue {
                            apiKeys.forgetHere(keyID: keyID)
                        } else {
                            apiKeys.forgetAllHere()
                        }
                    }
                    subscription.cancel()
                } catch {
                    sync.logger.warning("cannot listen for API key changes on other hosts; retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .milliseconds(backoff))
                    backoff = min(backoff * 2, 5_000)
                }
            }
        }
    }
}
