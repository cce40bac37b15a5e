extension AccessLogWriter: Service, CustomStringConvertible {
    public var description: String { "access log" }

    /// Flushes what is buffered when asked to stop, or cancelled: the lines of the last requests are the
    /// ones an operator reads after a shutdown. Off the cooperative pool, as `finish` waits for the output.
    public func run() async {
        try? await gracefulShutdown()
        _ = try? await BlockingPool.shared.run { [self] in finish() }
    }
}
