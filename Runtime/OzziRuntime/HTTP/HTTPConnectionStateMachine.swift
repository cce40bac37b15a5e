/// The life of one HTTP/1.1 connection, as a pure state machine: events in, actions out.
///
/// One request is in flight at a time; bytes of pipelined requests wait until its response is complete,
/// which answers them in order. Timers: `head` runs from a request's first byte to the end of its head
/// (a slowloris client never finishes it), `body` between body bytes, `idle` between keep-alive requests.
///
/// A route that streams its body is dispatched at the end of the head: the handler runs while the body is
/// read (`streamingBody`). A body that fails then (timeout, limit, malformed chunk, EOF) is failed to the
/// handler, whose answer still goes out, and the connection closes after it; an answer that comes before
/// the body ended also closes the connection, since the rest of the body would have to be read first.
struct HTTPConnectionStateMachine: Equatable {
    enum State: Equatable {
        case idle
        case readingHead
        case readingBody
        /// The handler runs while its body is still being read.
        case streamingBody
        case responding
        case upgraded
        case closed
    }

    enum Timer: Equatable {
        case idle, head, body
    }

    enum Action: Equatable {
        case none
        case arm(Timer)
        /// Tell the client to send its body (`Expect: 100-continue`), then wait for it under the body timer.
        case sendContinueAndArm
        /// The request is complete: stop timers and run its handler; hold further input.
        case dispatch
        /// The response is complete and the connection lives on: arm the idle timer, parse held input.
        case resume
        /// Answer with this status and close; the request is refused.
        case refuse(status: Int)
        /// Close without writing anything more (queued writes are still flushed).
        case close
        /// A streamed body ended: the handler, already running, gets its end.
        case finishBody
        /// A streamed body cannot end well: fail it to the handler with this status and stop reading;
        /// the handler's answer is written, then the connection closes.
        case failBody(status: Int)
        /// The handler answered before its streamed body ended: abandon the body and close.
        case abandonBody
    }

    private(set) var state: State = .idle
    /// Set once no further request may start: shutdown began or the peer half-closed.
    private(set) var draining = false

    /// The parser consumed input and reached `phase` without completing a request.
    mutating func parsed(phase: HTTPRequestParser.Phase, expectsContinue: Bool) -> Action {
        switch (state, phase) {
        case (.idle, .head):
            state = .readingHead
            return .arm(.head)
        case (.idle, .body), (.readingHead, .body):
            state = .readingBody
            return expectsContinue ? .sendContinueAndArm : .arm(.body)
        case (.readingBody, .body), (.streamingBody, .body):
            return .arm(.body)
        default:
            return .none
        }
    }

    /// The head of a request whose body streams was read: its handler runs now.
    mutating func bodyStreamStarted(expectsContinue: Bool) -> Action {
        guard state == .idle || state == .readingHead else { return .none }
        state = .streamingBody
        return expectsContinue ? .sendContinueAndArm : .arm(.body)
    }

    /// A whole request was read.
    mutating func requestComplete() -> Action {
        switch state {
        case .closed, .responding, .upgraded:
            return .none
        case .streamingBody:
            state = .responding
            return .finishBody
        case .idle, .readingHead, .readingBody:
            state = .responding
            return .dispatch
        }
    }

    /// The response to the request in flight was fully handed to the socket.
    mutating func responseComplete(keepAlive: Bool) -> Action {
        if state == .streamingBody {
            state = .closed
            return .abandonBody
        }
        guard state == .responding else { return .none }
        if draining || !keepAlive {
            state = .closed
            return .close
        }
        state = .idle
        return .resume
    }

    /// The response switched the connection to another protocol (WebSocket).
    mutating func upgraded() {
        if state == .responding { state = .upgraded }
    }

    mutating func timerFired() -> Action {
        switch state {
        case .idle:
            state = .closed
            return .close
        case .readingHead, .readingBody:
            state = .closed
            return .refuse(status: 408)
        case .streamingBody:
            return bodyFailed(status: 408)
        case .responding, .upgraded, .closed:
            return .none
        }
    }

    mutating func parseFailed(status: Int) -> Action {
        switch state {
        case .closed: return .none
        case .streamingBody: return bodyFailed(status: status)
        default:
            state = .closed
            return .refuse(status: status)
        }
    }

    /// The handler keeps running and answers; nothing more is read, and the connection closes after it.
    private mutating func bodyFailed(status: Int) -> Action {
        state = .responding
        draining = true
        return .failBody(status: status)
    }

    /// The peer sent EOF. A request in flight is still answered (the peer may only have half-closed).
    mutating func peerClosed() -> Action {
        switch state {
        case .responding:
            draining = true
            return .none
        case .streamingBody:
            return bodyFailed(status: 400)
        case .closed:
            return .none
        default:
            state = .closed
            return .close
        }
    }

    /// Graceful shutdown began: idle connections close now, busy ones after their current response.
    mutating func shutdown() -> Action {
        draining = true
        if state == .idle {
            state = .closed
            return .close
        }
        return .none
    }

    /// The connection closed for any reason; later events are ignored.
    mutating func closed() {
        state = .closed
    }
}
