/// A response read as it arrives: the status and headers first, then the body in pieces (Server-Sent
/// Events from a model, a long download). Ending the iteration early (or dropping the stream) stops the transfer.
public struct OutboundStream: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: AsyncThrowingStream<[UInt8], Error>
}

extension OutboundFetcher {
    /// Sends `request` and answers once the first piece of the body (or the end of an empty one) is in.
    /// The whole transfer is still bounded by the request's timeout and the host's response size limit.
    public func stream(_ request: OutboundRequest) async throws -> OutboundStream {
        let (loop, timeout, limit) = try prepare(request)
        let (body, pieces) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        return try await withCheckedThrowingContinuation { (head: CheckedContinuation<OutboundStream, Error>) in
            loop.perform {
                // Loop-confined: the head is answered once, by the first piece or by the end.
                final class Head: @unchecked Sendable { var answered = false }
                let state = Head()
                let multi = loop.curl(publicOnly: request.publicAddressesOnly)
                let transfer = CurlTransfer(request: request, timeoutMilliseconds: timeout, maxResponseBytes: limit) { result in
                    switch result {
                    case .success(let response):
                        if !state.answered {
                            state.answered = true
                            head.resume(returning: OutboundStream(status: response.status, headers: response.headers, body: body))
                        }
                        pieces.finish()
                    case .failure(let error):
                        if state.answered { pieces.finish(throwing: error) } else {
                            state.answered = true
                            head.resume(throwing: error)
                        }
                    }
                }
                transfer.bodySink = { status, headers, bytes in
                    if !state.answered {
                        state.answered = true
                        head.resume(returning: OutboundStream(status: status, headers: headers, body: body))
                    }
                    pieces.yield(bytes)
                }
                // Both are loop-confined; the closure only hands them back to their loop.
                struct OnLoop: @unchecked Sendable { let multi: CurlMulti, transfer: CurlTransfer }
                let running = OnLoop(multi: multi, transfer: transfer)
                pieces.onTermination = { reason in
                    guard case .cancelled = reason else { return }
                    loop.perform { running.multi.abort(running.transfer) }
                }
                multi.start(transfer)
            }
        }
    }
}
