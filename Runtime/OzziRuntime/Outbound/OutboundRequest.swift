/// An HTTP request a worker sends to another service.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whole-transfer timeout; nil means the host's default (15 s).
    public var timeoutMilliseconds: Int?
    /// Addresses the URL's host was checked to resolve to; the transfer connects to the first instead of
    /// looking the name up again, so a second lookup cannot answer differently (DNS rebinding). TLS still
    /// verifies the certificate against the URL's name.
    public var pinnedAddresses: [String] = []
    /// Refuse, at connect time, every socket address `PrivateAddress` refuses: whatever DNS answered or
    /// the pin says, the transfer never opens a connection to a private address. Such transfers reuse
    /// only connections opened under the same rule.
    public var publicAddressesOnly = false
    /// Whether the body may be sent a second time within this call. curl re-sends a request on a fresh
    /// connection when a reused keep-alive connection closes without answering — up to 5 times, after the
    /// server may have acted on it. For a call that is not idempotent (sending an SMS) set false: the call
    /// then fails instead (`OutboundError.requestSent` is true), and the caller decides.
    public var resendable = true
    /// This request's cap on the response body instead of the host's `outbound_max_response_bytes`, for
    /// a `stream` written on as it arrives (a recording into a bucket): held piece by piece, not whole.
    public var maxResponseBytes: Int?

    public init(method: String = "GET", url: String, headers: HTTPHeaders = [:], body: [UInt8] = [], timeoutMilliseconds: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// The answer to an `OutboundRequest`.
public struct OutboundResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why an outbound call did not get an answer.
public enum OutboundError: Error, Equatable, CustomStringConvertible {
    /// The worker's `allowed_outbound_hosts` does not list this origin.
    case denied(worker: String, origin: String)
    case invalidURL(String)
    /// `requestSent`: the whole request had been written to the connection (see `requestSent`).
    case timedOut(url: String, milliseconds: Int, requestSent: Bool)
    case responseTooLarge(url: String, limit: Int)
    case transport(url: String, code: Int32, message: String, requestSent: Bool)
    /// A `publicAddressesOnly` request was about to connect to a refused address.
    case refusedAddress(url: String, address: String, reason: String)

    /// Whether the far side may have received the whole request, and acted on it, before the failure:
    /// for calls that are not idempotent (sending an SMS), such a failure is ambiguous, not retryable.
    public var requestSent: Bool {
        switch self {
        case .timedOut(_, _, let sent), .transport(_, _, _, let sent): sent
        case .responseTooLarge: true
        case .denied, .invalidURL, .refusedAddress: false
        }
    }

    public var description: String {
        switch self {
        case .denied(let worker, let origin):
            "worker '\(worker)' may not call \(origin): add it to allowed_outbound_hosts"
        case .invalidURL(let url): "not an http(s) URL: \(url)"
        case .timedOut(let url, let ms, let sent): "\(url) did not answer within \(ms) ms\(sent ? " (the request was sent)" : "")"
        case .responseTooLarge(let url, let limit): "\(url) answered more than \(limit) bytes"
        case .transport(let url, let code, let message, let sent): "\(url): \(message) (curl \(code)\(sent ? ", after the request was sent" : ""))"
        case .refusedAddress(let url, let address, let reason): "\(url): refused to connect to \(address), \(reason)"
        }
    }
}
