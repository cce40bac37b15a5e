/// The life of one HTTP/1.1 connection, as a pure state machine: events in, actions out.
///
/// One request is in flight at a time; bytes of pipelined requests wait until its response is complete,
/// which answers them in order. Timers: `head` runs from a request's first byte to the end of its head
/// (a slowloris client never finishes it), `body` between body bytes, `idle` between keep-alive requests.
struct HTTPConnectionStateMachine: Equatable {
    enum State: Equatable {
        case idle
        case readingHead
        case readingBody
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
        case (.readingBody, .body):
            return .arm(.body)
        default:
            return .none
        }
    }

    /// A whole request was read.
    mutating func requestComplete() -> Action {
        guard state != .closed else { return .none }
        state = .responding
        return .dispatch
    }

    /// The response to the request in flight was fully handed to the socket.
    mutating func responseComplete(keepAlive: Bool) -> Action {
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
        case .responding, .upgraded, .closed:
            return .none
        }
    }

    mutating func parseFailed(status: Int) -> Action {
        guard state != .closed else { return .none }
        state = .closed
        return .refuse(status: status)
    }

    /// The peer sent EOF. A request in flight is still answered (the peer may only have half-closed).
    mutating func peerClosed() -> Action {
        switch state {
        case .responding:
            draining = true
            return .none
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
