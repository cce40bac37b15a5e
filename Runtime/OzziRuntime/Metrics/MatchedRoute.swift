import Synchronization

/// The route a request matched, reported by the worker's router so the host's request metrics are
/// labelled by route pattern (`/api/v1/contacts/:id`), never by raw path: one series per route.
///
/// The dispatcher binds one per request; a service-binding call made while handling it runs in the same
/// task, so only the first report (the outermost router's) counts.
final class MatchedRoute: Sendable {
    @TaskLocal static var current: MatchedRoute?

    private let route = Mutex<(method: String, pattern: String)?>(nil)

    func report(method: String, pattern: String) {
        route.withLock { if $0 == nil { $0 = (method, pattern) } }
    }

    var reported: (method: String, pattern: String)? { route.withLock { $0 } }
}
