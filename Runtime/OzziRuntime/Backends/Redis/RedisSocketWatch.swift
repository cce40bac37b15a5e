import CHiredis
import CLibUV

/// Drives one hiredis async context from a libuv loop: hiredis says when it wants to read or write, a
/// `uv_poll_t` says when the socket is ready. hiredis's own adapters/libuv.h does the same, but its poll
/// handle lives inside a struct of its own, which the runtime's shutdown (it closes every handle on the loop
/// and releases `data` as the handle's Swift owner) would free wrongly; this one follows the runtime's
/// handle ownership, and on a socket error it lets hiredis read (and so see the error and disconnect)
/// where the adapter returns and leaves the connection hanging.
///
/// Loop-confined: made and called only on its loop's thread.
final class RedisSocketWatch {
    private let poll: UnsafeMutablePointer<uv_poll_t>
    private var context: UnsafeMutablePointer<redisAsyncContext>?
    private var events: Int32 = 0

    /// Attaches a watch to `context`; false when the socket cannot be polled.
    static func attach(_ context: UnsafeMutablePointer<redisAsyncContext>, to loop: EventLoop) -> Bool {
        let watch = RedisSocketWatch(context: context)
        guard uv_poll_init_socket(loop.uv, watch.poll, context.pointee.c.fd) == 0 else {
            free(watch.poll)
            return false
        }
        // The poll handle owns the watch until its close callback, which `cleanup` (or loop shutdown) starts.
        UVHandle.retain(watch.poll, owner: watch)
        context.pointee.ev.data = Unmanaged.passUnretained(watch).toOpaque()
        context.pointee.ev.addRead = { RedisSocketWatch.from($0).update(add: Int32(UV_READABLE.rawValue)) }
        context.pointee.ev.delRead = { RedisSocketWatch.from($0).update(remove: Int32(UV_READABLE.rawValue)) }
        context.pointee.ev.addWrite = { RedisSocketWatch.from($0).update(add: Int32(UV_WRITABLE.rawValue)) }
        context.pointee.ev.delWrite = { RedisSocketWatch.from($0).update(remove: Int32(UV_WRITABLE.rawValue)) }
        context.pointee.ev.cleanup = { RedisSocketWatch.from($0).detach() }
        return true
    }

    private init(context: UnsafeMutablePointer<redisAsyncContext>) {
        self.context = context
        poll = UVHandle.allocate(uv_poll_t.self)
    }

    private static func from(_ privdata: UnsafeMutableRawPointer?) -> RedisSocketWatch {
        Unmanaged<RedisSocketWatch>.fromOpaque(privdata!).takeUnretainedValue()
    }

    private func update(add: Int32 = 0, remove: Int32 = 0) {
        guard context != nil else { return }
        events = (events | add) & ~remove
        if events == 0 {
            uv_poll_stop(poll)
            return
        }
        uv_poll_start(poll, events) { poll, status, events in
            let watch = UVHandle.owner(of: poll!, as: RedisSocketWatch.self)
            if status < 0 || events & Int32(UV_READABLE.rawValue) != 0, let context = watch.context {
                redisAsyncHandleRead(context)
            }
            // Reading may have freed the context (a disconnect): `detach` cleared it then.
            if events & Int32(UV_WRITABLE.rawValue) != 0, let context = watch.context {
                redisAsyncHandleWrite(context)
            }
        }
    }

    /// hiredis is freeing the context: stop watching and close the handle.
    private func detach() {
        context = nil
        uv_poll_stop(poll)
        UVHandle.close(poll)
    }
}
