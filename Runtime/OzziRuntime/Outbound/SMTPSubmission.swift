/// One message for a mail submission server (RFC 6409): where, how to log in, the envelope and the bytes.
/// Sent by `OutboundFetcher.submit(_:)` through libcurl's SMTP support on the calling loop.
public struct SMTPSubmission: Sendable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS (port 587), refused when the server does not offer it:
        /// credentials never cross in the clear.
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case implicitTLS = "tls"
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// AUTH (curl picks PLAIN, LOGIN or a better mechanism the server offers); none when nil.
    public var username: String?
    public var password: String?
    /// The name given in EHLO.
    public var heloName: String
    /// The envelope: `MAIL FROM` and one `RCPT TO` each (bare addresses).
    public var from: String
    public var recipients: [String]
    /// The RFC 5322 message, CRLF line ends (curl escapes leading dots and ends the data).
    public var message: [UInt8]
    /// Trusted CA certificates (PEM) instead of the system's, for servers with a private CA (and tests).
    public var caFile: String?
    public var timeoutMilliseconds: Int
    /// Refuse to connect to private, loopback and link-local addresses: the host comes from a
    /// workspace's settings, which must not reach the operator's internal network.
    public var publicAddressesOnly: Bool

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, heloName: String,
                from: String, recipients: [String], message: [UInt8], caFile: String? = nil, timeoutMilliseconds: Int = 30_000,
                publicAddressesOnly: Bool = true) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.from = from
        self.recipients = recipients
        self.message = message
        self.caFile = caFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.publicAddressesOnly = publicAddressesOnly
    }

    var url: String {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(security == .implicitTLS ? "smtps" : "smtp")://\(name):\(port)/\(heloName)"
    }
}

/// A reply from the server: its three-digit code and its text (lines of a multi-line reply joined by
/// a line feed).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let text: String

    public init(code: Int, text: String) {
        self.code = code
        self.text = text
    }

    public var description: String { "\(code) \(text)" }
}

/// How a submission ended.
public enum SMTPOutcome: Sendable, Equatable {
    /// The server took the message: its reply to the end of the data (often with its queue id).
    case accepted(SMTPReply)
    /// The server refused with a 4xx or 5xx reply, before the data (`afterData` false: to MAIL FROM,
    /// RCPT TO, AUTH...) or to the data itself. Either way it did not take the message.
    case rejected(SMTPReply, afterData: Bool)
    /// No refusal came: the connection, TLS or login failed, or the time ran out. `messageSent` when the
    /// whole message had been handed over and no reply to it came: the server may have taken it.
    case failed(SMTPFailure)
}

public struct SMTPFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// STARTTLS was required and the server did not offer it.
        case tlsUnavailable = "starttls_unavailable"
        /// The TLS handshake or the certificate check failed.
        case tls
        case timedOut = "timeout"
        /// The host is on an address `publicAddressesOnly` refuses.
        case refusedAddress = "refused_address"
        /// Could not resolve or connect, or the connection broke.
        case connection
    }

    public let kind: Kind
    public let message: String
    public let messageSent: Bool

    public var description: String { "\(kind.rawValue): \(message)\(messageSent ? " (after the whole message was sent)" : "")" }
}
