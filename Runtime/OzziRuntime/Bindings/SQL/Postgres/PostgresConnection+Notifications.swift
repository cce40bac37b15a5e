import CLibPQ

/// LISTEN/NOTIFY on a connection of its own: after `listen`, the owning thread waits for `socket` to be
/// readable, then takes what arrived with `notifications()`.
extension PostgresConnection {
    func listen(_ channel: String) throws {
        try execute("LISTEN \(Self.identifier(channel))")
    }

    /// The descriptor to poll for incoming notifications.
    var socket: Int32 { PQsocket(handle) }

    /// Reads what the server sent and returns the payloads of the notifications in it; throws when the
    /// connection is lost.
    func notifications() throws -> [String] {
        guard PQconsumeInput(handle) == 1, isOpen else {
            throw PostgresError.error(sqlState: nil, message: "listen connection lost", sql: "LISTEN", connectionLost: true)
        }
        var payloads: [String] = []
        while let notification = PQnotifies(handle) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }
}
