public import Foundation
public import HTTPTypes
public import OpenAPIRuntime

/// Sends `Authorization: Bearer TOKEN` with every request: the document's `bearer` scheme, which the
/// generator leaves to a middleware. The token is an access token (`oat_...`) or an API key (`ozk_live_...`).
public struct BearerTokenMiddleware: ClientMiddleware {
    public let token: String

    public init(token: String) {
        self.token = token
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
