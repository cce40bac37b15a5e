import Foundation
import OzziRuntime

/// Tests/clients/dns_server.py on a free loopback port (UDP and TCP), serving a zone the test sets and
/// may change while it runs: the name server a `DNSClient` or the api's domain checks are pointed at.
public final class DNSTestServer: Sendable {
    public let address: DNSServerAddress
    private let child: ChildProcess
    private let zonePath: String

    /// Starts the server with `zone`: `[name: [kind: value]]` as dns_server.py documents.
    public init(zone: [String: [String: Any]]) async throws {
        zonePath = NSTemporaryDirectory() + "ozzi-zone-\(UUID().uuidString).json"
        try Self.write(zone, to: zonePath)
        // `python3` from PATH: the one scripts/setup.sh installed dnslib into.
        child = try ChildProcess("/usr/bin/env", ["python3", Subprocess.clientPath("dns_server.py"), zonePath])
        let port = try await child.waitFor(#"PORT (\d+)"#)
        address = DNSServerAddress(host: "127.0.0.1", port: UInt16(port)!)
    }

    /// Serves `zone` from the next query on.
    public func serve(_ zone: [String: [String: Any]]) throws {
        try Self.write(zone, to: zonePath)
    }

    /// The queries received so far, as `udp|tcp name TYPE`.
    public var queries: [String] {
        child.log.split(separator: "\n").map(String.init).filter { $0.hasPrefix("udp ") || $0.hasPrefix("tcp ") }
    }

    /// The queries received so far once there are at least `count`: the server logs each before it
    /// answers, but its log reaches us on a pipe of its own, possibly after the answer.
    public func queries(atLeast count: Int) async throws -> [String] {
        _ = try await Poll.until(timeout: .seconds(10)) { queries.count >= count }
        return queries
    }

    public func stop() {
        child.stop()
        unlink(zonePath)
    }

    /// Written whole and renamed into place, so the server never reads half a file.
    private static func write(_ zone: [String: [String: Any]], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: zone)
        let temporary = path + ".new"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}
