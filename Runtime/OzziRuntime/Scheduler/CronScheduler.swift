import Logging
import Synchronization

/// Fires each worker's cron triggers at the minute boundary, in UTC. A run still going when its next
/// minute comes is not started twice; that minute is skipped and logged.
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
    private let running = Mutex<Set<String>>([])

    init(jobs: [Job], directory: WorkerDirectory, loop: EventLoop, clock: any WallClock, logger: Logger) {
        self.jobs = jobs
        self.directory = directory
        self.loop = loop
        self.clock = clock
        self.logger = logger
    }

    var description: String { "cron scheduler" }

    /// Fires the triggers until asked to stop, then waits for the runs still going.
    func run() async {
        guard !jobs.isEmpty else { return }
        await withTaskExecutorPreference(loop) {
            await withDiscardingTaskGroup { runs in
                var after = clock.seconds
                while let next = jobs.compactMap({ $0.schedule.next(after: after) }).min() {
                    let wait = next * 1000 - clock.milliseconds
                    if wait > 0, (try? await cancelOnGracefulShutdown { try await Task.sleep(for: .milliseconds(wait)) }) == nil { return }
                    for job in jobs where job.schedule.matches(minuteAt: next) {
                        runs.addTask { [self] in await run(job, minute: next, loop: loop) }
                    }
                    after = next
                }
            }
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
