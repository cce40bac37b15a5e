import CLibUV

/// A libuv failure, mapped from its negative return code at the one boundary `uvCheck`.
public struct UVError: Error, CustomStringConvertible, Equatable {
    public let code: Int32
    public let operation: String

    public var name: String { String(cString: uv_err_name(code)) }
    public var description: String { "\(operation): \(name) (\(String(cString: uv_strerror(code))))" }

    /// True when the peer went away; such errors are routine and never logged as failures.
    var isDisconnect: Bool {
        code == UV_EOF.rawValue || code == UV_ECONNRESET.rawValue || code == UV_EPIPE.rawValue
            || code == UV_ECANCELED.rawValue
    }
}

/// Turns a libuv return code into a thrown `UVError`; every libuv call that can fail goes through here.
@discardableResult
func uvCheck(_ rc: Int32, _ operation: @autoclosure () -> String) throws(UVError) -> Int32 {
    guard rc >= 0 else { throw UVError(code: rc, operation: operation()) }
    return rc
}
