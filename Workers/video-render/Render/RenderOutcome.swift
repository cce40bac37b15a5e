import OzziRuntime

/// How a render ended, as the worker tells the api.
enum RenderOutcome: Sendable {
    case succeeded(output: BucketObject, poster: BucketObject, duration: Double, width: Int, height: Int)
    case failed(code: String, message: String)
    case cancelled

    var json: JSONValue {
        switch self {
        case .succeeded(let output, let poster, let duration, let width, let height):
            return ["state": "succeeded", "output": ["key": .string(output.key), "size": .number(Double(output.size)), "duration": .number(duration),
                                                     "width": .number(Double(width)), "height": .number(Double(height))],
                    "poster": ["key": .string(poster.key), "size": .number(Double(poster.size))]]
        case .failed(let code, let message):
            return ["state": "failed", "error": ["code": .string(code), "message": .string(message)]]
        case .cancelled:
            return ["state": "cancelled"]
        }
    }
}
