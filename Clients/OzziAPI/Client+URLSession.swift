public import Foundation
public import OpenAPIRuntime
import OpenAPIURLSession

extension Client {
    /// A client of the Ozzi Edge host at `serverURL` (its origin: the document's paths start with
    /// `/api/v1`) over URLSession, reading the host's timestamps, sending `token` as a bearer token when
    /// there is one, then through `middlewares` in order.
    public init(serverURL: URL, token: String? = nil, middlewares: [any ClientMiddleware] = []) {
        let bearer: [any ClientMiddleware] = token.map { [BearerTokenMiddleware(token: $0)] } ?? []
        self.init(serverURL: serverURL, configuration: Configuration(dateTranscoder: TimestampTranscoder()), transport: URLSessionTransport(),
                  middlewares: bearer + middlewares)
    }
}
