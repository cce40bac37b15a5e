import CLibUV
import Glibc

extension EventLoop {
    /// Runs blocking work (SQLite, file I/O, a subprocess wait) on libuv's thread pool and resumes the
    /// caller when it is done, so the loop keeps serving other connections meanwhile.
    public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = ResultBox<T>()
            let work = BlockingWork(
                perform: { result.value = Result { try body() } },
                finish: { status in
                    if status < 0 {
                        continuation.resume(throwing: UVError(code: status, operation: "uv_queue_work"))
                    } else {
                        continuation.resume(with: result.value!)
                    }
                })
            execute { [self] in work.queue(on: uv) }
        }
    }
}

/// Written on a pool thread, read on the loop thread after libuv's completion barrier.
private final class ResultBox<T>: @unchecked Sendable {
    var value: Result<T, Error>?
}

/// One unit of pool work; it owns itself from `queue` until libuv's after-work callback on the loop.
private final class BlockingWork: @unchecked Sendable {
    // `perform` runs on a pool thread, `finish` on the loop thread; libuv orders the two.
    private let perform: @Sendable () -> Void
    private let finish: @Sendable (Int32) -> Void

    init(perform: @escaping @Sendable () -> Void, finish: @escaping @Sendable (Int32) -> Void) {
        self.perform = perform
        self.finish = finish
    }

    func queue(on loop: UnsafeMutablePointer<uv_loop_t>) {
        let request = UVHandle.allocate(uv_work_t.self)
        request.pointee.data = Unmanaged.passRetained(self).toOpaque()
        let rc = uv_queue_work(loop, request, { request in
            Unmanaged<BlockingWork>.fromOpaque(request!.pointee.data).takeUnretainedValue().perform()
        }, { request, status in
            let work = Unmanaged<BlockingWork>.fromOpaque(request!.pointee.data).takeRetainedValue()
            free(request)
            work.finish(status)
        })
        if rc != 0 {
            Unmanaged<BlockingWork>.fromOpaque(request.pointee.data).release()
            free(request)
            finish(rc)
        }
    }
}
