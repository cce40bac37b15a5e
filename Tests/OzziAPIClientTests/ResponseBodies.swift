import Foundation
import HTTPTypes
import OpenAPIRuntime
import OzziRuntime
import Synchronization

/// The JSON of the last response to each operation, passed on unchanged.
///
/// The document gives no success response a schema yet, so the generated client has no typed body to
/// hand the test for them (`.created` carries nothing); the ids and tokens the next call needs are read here.
final class ResponseBodies: ClientMiddleware {
    private let bodies = Mutex<[String: JSONValue]>([:])

    subscript(operationID: String) -> JSONValue? {
        bodies.withLock { $0[operationID] }
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard let responseBody else { return (response, nil) }
        let bytes = try await [UInt8](collecting: responseBody, upTo: 1 << 20)
        bodies.withLock { $0[operationID] = try? JSONValue(jsonBytes: bytes) }
        return (response, HTTPBody(bytes))
    }
}
