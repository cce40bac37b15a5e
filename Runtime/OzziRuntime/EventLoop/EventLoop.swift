import CLibUV
import Glibc
import Synchronization

/// One libuv loop running on its own thread, and the Swift executor for everything bound to it.
///
/// Jobs enqueued from the loop's own thread go to a lock-free local queue that is drained right after
/// libuv's I/O phase (`uv_check`) and before it would block (`uv_prepare`), so a request handler started
/// from a read callback runs in the same loop iteration with no wake-up. Jobs from other threads go through
/// a mutex-protected queue and one `uv_async_t`, drained whole per wake-up (as SwiftNIO's executors do).
/// Hot stored properties opt out of dynamic exclusivity checks (`@exclusivity(unchecked)`): only the
/// loop thread touches them and no two accesses overlap; the checks cost about a tenth of a small request.
public final class EventLoop: @unchecked Sendable {
    // Everything below except `remoteJobs` and `state` is touched only on the loop thread.
    let uv: UnsafeMutablePointer<uv_loop_t>
    public let index: Int
    private let wakeup: UnsafeMutablePointer<uv_async_t>
    private let prepare: UnsafeMutablePointer<uv_prepare_t>
    private let check: UnsafeMutablePointer<uv_check_t>
    @exclusivity(unchecked) private var localJobs: [UnownedJob] = []
    @exclusivity(unchecked) private var localTasks: [() -> Void] = []
    private let remote = Mutex(RemoteQueue())
    @exclusivity(unchecked) private var thread = pthread_t()
    @exclusivity(unchecked) private var loopThread: pthread_t = pthread_t()
    @exclusivity(unchecked) private var loopThreadKnown = false
    /// One read buffer per loop, as in Node: read callbacks consume it before returning.
    let readBuffer = uv_buf_init(malloc(64 * 1024)!.assumingMemoryBound(to: CChar.self), 64 * 1024)
    /// A cached `Date` header value, refreshed at most once a second (uv_now is the loop's cached clock).
    @exclusivity(unchecked) private var dateCache: (second: UInt64, value: [UInt8]) = (UInt64.max, [])

    private struct RemoteQueue {
        var jobs: [UnownedJob] = []
        var tasks: [@Sendable () -> Void] = []
        var closed = false
    }

    public init(index: Int) throws(UVError) {
        self.index = index
        uv = UVHandle.allocate(uv_loop_t.self)
        try uvCheck(uv_loop_init(uv), "uv_loop_init")
        wakeup = UVHandle.allocate(uv_async_t.self)
        prepare = UVHandle.allocate(uv_prepare_t.self)
        check = UVHandle.allocate(uv_check_t.self)
        try uvCheck(uv_async_init(uv, wakeup) { handle in
            UVHandle.owner(of: handle!, as: EventLoop.self).drainRemote()
        }, "uv_async_init")
        UVHandle.retain(wakeup, owner: self)
        uv_prepare_init(uv, prepare)
        UVHandle.retain(prepare, owner: self)
        uv_prepare_start(prepare) { UVHandle.owner(of: $0!, as: EventLoop.self).drainLocal() }
        uv_check_init(uv, check)
        UVHandle.retain(check, owner: self)
        uv_check_start(check) { UVHandle.owner(of: $0!, as: EventLoop.self).drainLocal() }
        // The prepare and check handles must not keep the loop alive on their own.
        prepare.withMemoryRebound(to: uv_handle_t.self, capacity: 1) { uv_unref($0) }
        check.withMemoryRebound(to: uv_handle_t.self, capacity: 1) { uv_unref($0) }
    }

    deinit {
        // Reached only after `uv_run` returned and every handle's close callback released this loop.
        free(uv)
        free(readBuffer.base)
    }

    /// The loop whose thread is running, if any.
    public static var current: EventLoop? {
        pthread_getspecific(currentKey).map { Unmanaged<EventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True on this loop's thread.
    public var inLoop: Bool { loopThreadKnown && pthread_equal(pthread_self(), loopThread) != 0 }

    /// Starts the loop's thread; it runs until every handle is closed (see `stop`).
    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let loop = Unmanaged<EventLoop>.fromOpaque(arg!).takeRetainedValue()
            loop.loopThread = pthread_self()
            loop.loopThreadKnown = true
            pthread_setspecific(EventLoop.currentKey, Unmanaged.passUnretained(loop).toOpaque())
            loop.drainRemote()
            uv_run(loop.uv, UV_RUN_DEFAULT)
            uv_loop_close(loop.uv)
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    /// Waits for the loop's thread to finish.
    func join() {
        pthread_join(thread, nil)
    }

    /// Runs `body` on the loop thread soon: after the current callback when called there, else on the
    /// next wake-up. Never runs `body` re-entrantly. Answers false when the loop has stopped and `body`
    /// will never run: a caller holding a continuation in it must resume that itself.
    @discardableResult
    public func execute(_ body: @escaping @Sendable () -> Void) -> Bool {
        if inLoop {
            localTasks.append(body)
            return true
        }
        return enqueueRemote { $0.tasks.append(body) }
    }

    /// Runs `body` now when called on the loop thread, else like `execute` (and answers the same).
    @discardableResult
    public func perform(_ body: @escaping @Sendable () -> Void) -> Bool {
        if inLoop {
            body()
            return true
        }
        return execute(body)
    }

    /// Runs `body` on the loop and returns its result to the caller's context.
    public func submit<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if inLoop { return body() }
        return await withCheckedContinuation { continuation in
            execute { continuation.resume(returning: body()) }
        }
    }

    /// Closes every handle on the loop (from the loop thread), letting `uv_run` return.
    func stop() {
        execute { [self] in
            remote.withLock { $0.closed = true }
            uv_walk(uv, { handle, _ in
                guard let handle else { return }
                UVHandle.close(handle)
            }, nil)
        }
    }

    @discardableResult
    private func enqueueRemote(_ add: (inout RemoteQueue) -> Void) -> Bool {
        // The wake-up is sent under the lock `stop` sets `closed` with, so it never reaches the async handle
        // (freed once closed) or the loop's eventfd (closed with the loop, its number soon another socket's).
        // After `stop`, late jobs (a task finishing past the shutdown deadline) are dropped with the process.
        remote.withLock { queue -> Bool in
            guard !queue.closed else { return false }
            add(&queue)
            uv_async_send(wakeup)
            return true
        }
    }

    private func drainRemote() {
        let (jobs, tasks) = remote.withLock { queue in
            defer { queue.jobs.removeAll(keepingCapacity: true); queue.tasks.removeAll(keepingCapacity: true) }
            return (queue.jobs, queue.tasks)
        }
        for task in tasks { task() }
        for job in jobs { run(job) }
        drainLocal()
    }

    private func drainLocal() {
        while !localJobs.isEmpty || !localTasks.isEmpty {
            let tasks = localTasks
            localTasks.removeAll(keepingCapacity: true)
            for task in tasks { task() }
            let jobs = localJobs
            localJobs.removeAll(keepingCapacity: true)
            for job in jobs { run(job) }
        }
    }

    private func run(_ job: UnownedJob) {
        job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
    }

    /// The `Date` header value for now, formatted once per second per loop.
    var httpDate: [UInt8] {
        let second = uv_now(uv) / 1000
        if second != dateCache.second {
            dateCache = (second, Array(HTTPDate.now().utf8))
        }
        return dateCache.value
    }

    /// This loop's libcurl multi handles, made on first outbound call. Transfers that may reach only
    /// public addresses get their own, as curl reuses connections within a multi handle: a connection opened
    /// without the connect-time check must never carry a public-only request.
    @exclusivity(unchecked) private var curlMultis: (shared: CurlMulti?, publicOnly: CurlMulti?) = (nil, nil)

    func curl(publicOnly: Bool) -> CurlMulti {
        if let made = publicOnly ? curlMultis.publicOnly : curlMultis.shared { return made }
        let made = CurlMulti(loop: self)
        if publicOnly { curlMultis.publicOnly = made } else { curlMultis.shared = made }
        return made
    }

    /// An output buffer responses are serialized into, reused so a small response costs no allocation.
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    func takeScratch() -> [UInt8] {
        var buffer = scratch
        scratch = []
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    func returnScratch(_ buffer: [UInt8]) {
        if buffer.capacity <= 64 * 1024 { scratch = buffer }
    }

    /// The loop's cached monotonic clock in milliseconds.
    var now: UInt64 { uv_now(uv) }
}

extension EventLoop: SerialExecutor, TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if inLoop {
            localJobs.append(job)
        } else {
            enqueueRemote { $0.jobs.append(job) }
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    public func checkIsolated() {
        precondition(inLoop, "expected to run on event loop \(index)")
    }
}
