/// Why a request was refused while it was being read; each maps to the status the client gets.
enum HTTPParseFailure: Error, Equatable {
    case malformed(String)
    case headersTooLarge
    case bodyTooLarge
    case expectationFailed(String)
    case unsupportedFeature(String)
    case versionNotSupported(major: Int, minor: Int)

    var status: Int {
        switch self {
        case .malformed: 400
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .expectationFailed: 417
        case .unsupportedFeature: 501
        case .versionNotSupported: 505
        }
    }

    var message: String {
        switch self {
        case .malformed(let why): "malformed request: \(why)"
        case .headersTooLarge: "request header fields too large"
        case .bodyTooLarge: "request body too large"
        case .expectationFailed(let value): "unsupported Expect value: \(value)"
        case .unsupportedFeature(let what): "not supported: \(what)"
        case .versionNotSupported(let major, let minor): "HTTP/\(major).\(minor) is not supported; use HTTP/1.1"
        }
    }
}
