extension OutboundFetcher {
    /// Submits one message to a mail server through the calling loop's curl multi handle (connections
    /// are reused for the same server and credentials). The worker's HTTP allow-list does not apply:
    /// the server comes from a workspace's settings; `publicAddressesOnly` guards where it may be.
    public func submit(_ submission: SMTPSubmission) async -> SMTPOutcome {
        guard let loop = EventLoop.current ?? directory?.anyLoop else {
            return .failed(SMTPFailure(kind: .connection, message: "no event loop is running", messageSent: false))
        }
        return await withCheckedContinuation { continuation in
            loop.perform {
                loop.curl(publicOnly: submission.publicAddressesOnly).start(CurlSMTPTransfer(submission) { continuation.resume(returning: $0) })
            }
        }
    }
}
