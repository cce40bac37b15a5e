import Logging

/// Wraps the host's log handler: every record still goes to it, and a record labelled with a worker also
/// goes to that worker's `ozzi tail` watchers.
struct TailLogHandler: LogHandler {
    var inner: any LogHandler
    let tail: LogTail

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
        guard tail.isWatched, let worker = event.metadata?["worker"] ?? inner[metadataKey: "worker"] else { return }
        tail.publish(worker: worker.description) { TailLine.log(event, metadata: inner.metadata) }
    }
}

extension Logger {
    /// This logger, with its records also fanned out to `tail`'s watchers.
    func tapped(by tail: LogTail) -> Logger {
        var logger = self
        logger.handler = TailLogHandler(inner: handler, tail: tail)
        return logger
    }
}
