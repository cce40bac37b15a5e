import Logging
import OzziRuntime
import Synchronization

/// Fans workspace events out to the endpoints that asked for them and POSTs each delivery, signed,
/// through the `WEBHOOKS` queue: failures retry with exponential backoff and jitter, every attempt is
/// logged, an endpoint that keeps failing is disabled, and targets on loopback, private or link-local
/// addresses are refused unless `WEBHOOKS_ALLOW_PRIVATE` is set.
final class WebhookDispatcher: Sendable {
    let store: WebhookStore
    let queue: any QueueProducer
    let outbound: OutboundFetcher
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    /// Active endpoints per workspace, loaded on first use and dropped when the workspace changes them, so
    /// the common event (a workspace with no endpoints) costs no query.
    private let cache = Mutex<EndpointCache>(EndpointCache())

    private struct EndpointCache {
        var endpoints: [String: [WebhookEndpoint]] = [:]
        /// Bumped by every invalidation: a list loaded across one may predate the change (an endpoint
        /// created meanwhile) and is used once but not kept.
        var generation = 0
    }

    struct Settings: Sendable {
        var allowPrivate: Bool
        var maxAttempts: Int
        var retry: RetryPolicy
        var disableAfter: Int
        var timeoutMs = 10_000

        init(_ env: WorkerEnv) {
            allowPrivate = env.var("WEBHOOKS_ALLOW_PRIVATE", default: "false") == "true"
            maxAttempts = Int(env.var("WEBHOOK_MAX_ATTEMPTS", default: "8")) ?? 8
            retry = RetryPolicy(baseSeconds: Double(env.var("WEBHOOK_RETRY_BASE_SECONDS", default: "5")) ?? 5, maxSeconds: 3600)
            disableAfter = Int(env.var("WEBHOOK_DISABLE_AFTER", default: "10")) ?? 10
        }
    }

    init(store: WebhookStore, queue: any QueueProducer, outbound: OutboundFetcher, settings: Settings, clock: any WallClock, logger: Logger) {
        self.store = store
        self.queue = queue
        self.outbound = outbound
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    func invalidate(_ scope: TenantScope) {
        cache.withLock { cache in
            cache.endpoints[scope.workspaceID] = nil
            cache.generation += 1
        }
    }

    /// Records a delivery per (event, endpoint that wants it) and queues them. Called by the event outbox
    /// before it moves its cursor; after a crash it may see events again, which find their deliveries
    /// recorded already (one id per event and endpoint) and are not queued twice.
    func fanOut(_ events: [WorkspaceEvent]) async throws {
        let workspaces = Set(events.map(\.workspaceID))
        var (endpoints, generation) = cache.withLock { ($0.endpoints, $0.generation) }
        let unknown = workspaces.filter { endpoints[$0] == nil }
        if !unknown.isEmpty {
            let loaded = try await store.active(workspaces: Array(unknown))
            for id in unknown { endpoints[id] = loaded[id] ?? [] }
            cache.withLock { cache in
                guard cache.generation == generation else { return }
                for id in unknown { cache.endpoints[id] = loaded[id] ?? [] }
            }
        }
        let items = events.flatMap { event in
            (endpoints[event.workspaceID] ?? []).filter { $0.wants(event.type) }.map { (endpointID: $0.id, event: event) }
        }
        guard !items.isEmpty else { return }
        let ids = try await store.enqueue(items)
        try await queue.sendAll(ids.map { WebhookDeliveryJob(deliveryID: $0).message })
    }

    /// Refuses URLs that are not http(s), or (unless allowed) whose host is or resolves to an address
    /// `PrivateAddress` refuses, in any spelling; returns the addresses checked, for the request to connect
    /// to (none when private targets are allowed).
    @discardableResult
    func checkTarget(_ url: String) async throws -> [String] {
        guard let parsed = OutboundURL(url) else { throw APIError.invalidField("url", "must be an http or https URL") }
        guard !settings.allowPrivate else { return [] }
        guard parsed.scheme == "https" else { throw APIError.invalidField("url", "must be https") }
        do {
            return try await PrivateAddress.publicAddresses(of: parsed.host).map(\.description)
        } catch let refused as PrivateAddress.RefusedHost {
            throw APIError.invalidField("url", refused.description)
        }
    }

    /// One attempt of one delivery: the queue consumer's side.
    func deliver(_ deliveryID: String) async throws {
        guard let delivery = try await store.pending(deliveryID) else { return }
        guard delivery.endpointActive else {
            try await store.recordAttempt(delivery, status: "failed", responseStatus: nil, error: "the endpoint is disabled", disableAfter: .max)
            return
        }
        let outcome: (ok: Bool, status: Int?, error: String?)
        do {
            let addresses = try await checkTarget(delivery.url)
            let body = Array(delivery.payload.utf8)
            let timestamp = clock.milliseconds / 1000
            let signature = WebhookSignature.sign(secret: delivery.secret, id: delivery.id, timestamp: timestamp, body: body) ?? ""
            var request = OutboundRequest(
                method: "POST", url: delivery.url,
                headers: ["content-type": "application/json", "user-agent": "Ozzi-Webhooks/1",
                          "webhook-id": delivery.id, "webhook-timestamp": String(timestamp), "webhook-signature": signature,
                          "svix-id": delivery.id, "svix-timestamp": String(timestamp), "svix-signature": signature],
                body: body, timeoutMilliseconds: settings.timeoutMs)
            // Connect to the addresses just checked: a second lookup could answer a private one (DNS rebinding).
            request.pinnedAddresses = addresses
            // And check again the address actually connected to, whatever the lookup or pin said.
            request.publicAddressesOnly = !settings.allowPrivate
            let response = try await outbound.fetch(request)
            outcome = ((200..<300).contains(response.status), response.status, (200..<300).contains(response.status) ? nil : "answered \(response.status)")
        } catch let error as APIError {
            // A refused target will not become acceptable by waiting.
            try await store.recordAttempt(delivery, status: "failed", responseStatus: nil, error: error.message, disableAfter: settings.disableAfter)
            return
        } catch OutboundError.refusedAddress(let url, let address, let reason) {
            // Refused at connect time (the name now resolves elsewhere): as permanent as a refused URL.
            let error = OutboundError.refusedAddress(url: url, address: address, reason: reason)
            try await store.recordAttempt(delivery, status: "failed", responseStatus: nil, error: error.description, disableAfter: settings.disableAfter)
            return
        } catch {
            outcome = (false, nil, "\(error)")
        }
        if outcome.ok {
            try await store.recordAttempt(delivery, status: "succeeded", responseStatus: outcome.status, error: nil, disableAfter: settings.disableAfter)
            return
        }
        let attempt = delivery.attempts + 1
        if attempt < settings.maxAttempts {
            try await store.recordAttempt(delivery, status: "pending", responseStatus: outcome.status, error: outcome.error, disableAfter: settings.disableAfter)
            let delay = settings.retry.delaySeconds(afterAttempt: attempt, unit: Double.random(in: 0..<1))
            try await queue.send(WebhookDeliveryJob(deliveryID: delivery.id).json, delaySeconds: min(delay, 43_200))
        } else {
            try await store.recordAttempt(delivery, status: "failed", responseStatus: outcome.status, error: outcome.error, disableAfter: settings.disableAfter)
            invalidateEndpoint(delivery.endpointID)
        }
    }

    /// After a final failure the endpoint may have been disabled: forget every cached list holding it.
    private func invalidateEndpoint(_ endpointID: String) {
        cache.withLock { cache in
            cache.generation += 1
            for (workspace, endpoints) in cache.endpoints where endpoints.contains(where: { $0.id == endpointID }) { cache.endpoints[workspace] = nil }
        }
    }
}
