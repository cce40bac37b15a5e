import CCurlShim
import CLibUV
import Glibc

/// libcurl's multi interface driven by one event loop: curl says which sockets to watch (`uv_poll_t`)
/// and when to call back (`uv_timer_t`); transfers never block the loop. Connections are reused
/// across transfers on the same loop.
///
/// Loop-confined: created and used only on its loop's thread.
final class CurlMulti {
    private let loop: EventLoop
    private let multi: UnsafeMutableRawPointer
    private let timer: UnsafeMutablePointer<uv_timer_t>
    private var transfers: [UnsafeMutableRawPointer: any CurlEasyTransfer] = [:]
    static let idleConnections = 1024

    init(loop: EventLoop) {
        self.loop = loop
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()!
        timer = UVHandle.allocate(uv_timer_t.self)
        uv_timer_init(loop.uv, timer)
        UVHandle.retain(timer, owner: self)
        // The timer must not keep the loop alive at shutdown by itself.
        timer.withMemoryRebound(to: uv_handle_t.self, capacity: 1) { uv_unref($0) }
        // Idle connections kept for reuse: by default curl keeps 4 per transfer in progress, so after a burst
        // of calls the cache shrinks and the next burst opens new connections (a TCP and TLS handshake per
        // send). Providers are few hosts called many times at once: keep as many as a burst uses.
        ozzi_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, Self.idleConnections)
        let me = Unmanaged.passUnretained(self).toOpaque()
        ozzi_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        ozzi_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        ozzi_multi_setopt_socket_cb(multi) { _, socket, what, user, socketUser in
            Unmanaged<CurlMulti>.fromOpaque(user!).takeUnretainedValue().watch(socket, what: what, watcher: socketUser)
            return 0
        }
        ozzi_multi_setopt_timer_cb(multi) { _, timeout, user in
            Unmanaged<CurlMulti>.fromOpaque(user!).takeUnretainedValue().schedule(timeout)
            return 0
        }
    }

    func start(_ request: OutboundRequest, timeoutMilliseconds: Int, maxResponseBytes: Int,
               completion: @escaping (Result<OutboundResponse, Error>) -> Void) {
        start(CurlTransfer(request: request, timeoutMilliseconds: timeoutMilliseconds, maxResponseBytes: maxResponseBytes, completion: completion))
    }

    /// Runs a prepared easy handle (HTTP, SMTP) until curl is done with it, then hands it its result.
    func start(_ transfer: any CurlEasyTransfer) {
        transfers[transfer.easy] = transfer
        curl_multi_add_handle(multi, transfer.easy)
    }

    /// Stops a transfer that has not finished (its reader went away); it learns `CURLE_ABORTED_BY_CALLBACK`.
    func abort(_ transfer: any CurlEasyTransfer) {
        guard transfers.removeValue(forKey: transfer.easy) != nil else { return }
        curl_multi_remove_handle(multi, transfer.easy)
        transfer.finish(CURLE_ABORTED_BY_CALLBACK)
    }

    // MARK: - curl callbacks

    private func watch(_ socket: curl_socket_t, what: Int32, watcher: UnsafeMutableRawPointer?) {
        if what == CURL_POLL_REMOVE {
            if let watcher {
                let poll = watcher.assumingMemoryBound(to: uv_poll_t.self)
                uv_poll_stop(poll)
                UVHandle.close(poll)
                curl_multi_assign(multi, socket, nil)
            }
            return
        }
        let poll: UnsafeMutablePointer<uv_poll_t>
        if let watcher {
            poll = watcher.assumingMemoryBound(to: uv_poll_t.self)
        } else {
            poll = UVHandle.allocate(uv_poll_t.self)
            uv_poll_init_socket(loop.uv, poll, socket)
            UVHandle.retain(poll, owner: SocketWatch(multi: self, socket: socket))
            curl_multi_assign(multi, socket, poll)
        }
        var events: Int32 = 0
        if what & CURL_POLL_IN != 0 { events |= Int32(UV_READABLE.rawValue) }
        if what & CURL_POLL_OUT != 0 { events |= Int32(UV_WRITABLE.rawValue) }
        uv_poll_start(poll, events) { poll, status, events in
            let watch = UVHandle.owner(of: poll!, as: SocketWatch.self)
            var flags: Int32 = 0
            if status < 0 { flags = CURL_CSELECT_ERR }
            if events & Int32(UV_READABLE.rawValue) != 0 { flags |= CURL_CSELECT_IN }
            if events & Int32(UV_WRITABLE.rawValue) != 0 { flags |= CURL_CSELECT_OUT }
            watch.multi.act(on: watch.socket, flags: flags)
        }
    }

    private func schedule(_ timeout: Int) {
        if timeout < 0 {
            uv_timer_stop(timer)
            return
        }
        uv_timer_start(timer, { timer in
            UVHandle.owner(of: timer!, as: CurlMulti.self).act(on: CURL_SOCKET_TIMEOUT, flags: 0)
        }, UInt64(timeout), 0)
    }

    private func act(on socket: curl_socket_t, flags: Int32) {
        var running: Int32 = 0
        curl_multi_socket_action(multi, socket, flags, &running)
        var pending: Int32 = 0
        while let message = curl_multi_info_read(multi, &pending) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            transfers.removeValue(forKey: easy)?.finish(result)
        }
    }
}

/// One easy handle a `CurlMulti` runs: it owns the handle and everything its options point to, and
/// learns the transfer's result once (after which the multi handle lets go of it).
protocol CurlEasyTransfer: AnyObject {
    var easy: UnsafeMutableRawPointer { get }
    func finish(_ result: CURLcode)
}

/// What a `uv_poll_t` watching one of curl's sockets points back to.
private final class SocketWatch {
    let multi: CurlMulti
    let socket: curl_socket_t

    init(multi: CurlMulti, socket: curl_socket_t) {
        self.multi = multi
        self.socket = socket
    }
}
