import Logging
import Synchronization

/// Fires each worker's cron triggers at the minute boundary, in UTC. A run still going when its next
/// minute comes is not started twice; that minute is skipped and logged. Where several hosts run the same
/// triggers, each minute fires on the one host whose claim wins (`CronClaims`).
final class CronScheduler: Service, CustomStringConvertible {
    struct Job: Sendable {
        let worker: String
        let schedule: CronSchedule
    }

    private let jobs: [Job]
    private let directory: WorkerDirectory
    /// The loop the scheduled runs prefer.
    private let loop: EventLoop
    private let clock: any WallClock
    private let logger: Logger
    private let claims: any CronClaims
    private let running = Mutex<Set<String>>([])
    private let waker = WallClockWaker()
    private let stopped = Atomic<Bool>(false)

    init(jobs: [Job], directory: WorkerDirectory, loop: EventLoop, clock: any WallClock, logger: Logger,
         claims: any CronClaims = LocalCronClaims()) {
        self.jobs = jobs
        self.directory = directory
        self.loop = loop
        self.clock = clock
        self.logger = logger
        self.claims = claims
        waker.wakeOnChange(of: clock)
    }

    var description: String { "cron scheduler" }

    /// Whether it sleeps until its next minute (tests move their clock once it does).
    var isWaiting: Bool { waker.isWaiting }

    /// Fires the triggers until asked to stop, then waits for the runs still going.
    func run() async {
        guard !jobs.isEmpty else { return }
        let stop: @Sendable () -> Void = { [self] in
            stopped.store(true, ordering: .relaxed)
            waker.wake()
        }
        await withTaskExecutorPreference(loop) {
            await withTaskCancellationHandler(operation: {
                await withGracefulShutdownHandler(operation: { await fire() }, onGracefulShutdown: stop)
            }, onCancel: stop)
        }
    }

    private func fire() async {
        await withDiscardingTaskGroup { runs in
            var after = clock.seconds
            while let next = jobs.compactMap({ $0.schedule.next(after: after) }).min() {
                // The clock (a test's, or the system's stepped by NTP) may wake the waiter early: look again.
                while clock.milliseconds < next * 1000, !stopped.load(ordering: .relaxed) {
                    await waker.wait(until: next * 1000, clock: clock)
                }
                if stopped.load(ordering: .relaxed) { return }
                for job in jobs where job.schedule.matches(minuteAt: next) {
                    runs.addTask { [self] in
                        if await claimed(job, minute: next) { await run(job, minute: next, loop: loop) }
                    }
                }
                after = next
            }
        }
    }

    /// Whether this host fires `job` for `minute`; when it cannot tell, no (logged): a minute skipped is
    /// better than a minute fired twice.
    private func claimed(_ job: Job, minute: Int64) async -> Bool {
        do {
            return try await claims.claim(worker: job.worker, cron: job.schedule.expression, minute: minute)
        } catch {
            logger.warning("cron run skipped: cannot claim the minute", metadata: [
                "worker": "\(job.worker)", "cron": "\(job.schedule.expression)", "minute": "\(minute)", "error": "\(error)",
            ])
            return false
        }
    }

    /// Runs one job now unless its previous run is still going; returns whether it ran to completion
    /// without error, or nil when it was skipped.
    @discardableResult
    func run(_ job: Job, minute: Int64, loop: EventLoop) async -> Bool? {
        let key = job.worker + "\u{0}" + job.schedule.expression
        let claimed = running.withLock { $0.insert(key).inserted }
        guard claimed else {
            logger.warning("cron run skipped: the previous run is still going",
                           metadata: ["worker": "\(job.worker)", "cron": "\(job.schedule.expression)"])
            return nil
        }
        defer { _ = running.withLock { $0.remove(key) } }
        guard let worker = directory.worker(job.worker) else { return false }
        let context = RequestContext(requestID: RequestID.next(), worker: job.worker, loop: loop, logger: logger.with(worker: job.worker))
        do {
            try await worker.scheduled(ScheduledEvent(cron: job.schedule.expression, scheduledTime: minute), context: context)
            return true
        } catch {
            context.logger.error("scheduled run failed", metadata: ["cron": "\(job.schedule.expression)", "error": "\(error)"])
            return false
        }
    }

    /// The jobs that use `cron` (all of a worker's jobs when `worker` is given and `cron` is nil).
    func jobs(cron: String?, worker: String?) -> [Job] {
        jobs.filter { (cron == nil || $0.schedule.expression == cron) && (worker == nil || $0.worker == worker) }
    }
}
