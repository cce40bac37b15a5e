extension LogTail: Service, CustomStringConvertible {
    public var description: String { "log tails" }

    /// Ends every `ozzi tail` stream when asked to stop. Listed after the HTTP server, so it stops before
    /// it: the tails' responses end and their connections close instead of holding the drain to the deadline.
    public func run() async {
        try? await gracefulShutdown()
        finishAll()
    }
}
