import OzziRuntime
import Synchronization

extension OpenAPIDocument {
    /// The document's bytes, built on the first request and kept: a host that is never asked for it does not
    /// hold it (nor the heap its building touched), which keeps an idle host small.
    final class Served: Sendable {
        private let operations: [APIOperation]
        private let built = Mutex<[UInt8]?>(nil)

        init(_ operations: [APIOperation]) {
            self.operations = operations
        }

        var bytes: [UInt8] {
            built.withLock { built in
                if let built { return built }
                let bytes = OpenAPIDocument.build(operations).jsonBytes
                built = bytes
                return bytes
            }
        }
    }
}
