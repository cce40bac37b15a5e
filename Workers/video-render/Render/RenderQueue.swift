import Logging
import OzziRuntime

/// Renders in this host: at most `slots` at once (one per core by default: each ffmpeg keeps a core busy),
/// the rest waiting in order. A render asked for again while known (the api's retry after a lost report)
/// is not started twice. While any is known, a heartbeat every 30 s tells the api each is still alive.
actor RenderQueue {
    enum State: String { case queued, rendering }

    private struct Entry {
        let job: RenderJob
        var state: State
        var task: Task<Void, Never>?
        var cancelled = false
    }

    private let slots: Int
    private let media: MediaTools
    private let reporter: RenderReporter
    private let logger: Logger
    private var entries: [String: Entry] = [:]
    private var waiting: [String] = []
    private var running = 0
    private var heartbeat: Task<Void, Never>?

    init(slots: Int, media: MediaTools, reporter: RenderReporter, logger: Logger) {
        self.slots = max(1, slots)
        self.media = media
        self.reporter = reporter
        self.logger = logger
    }

    /// Takes a render; its place in the line (0 when it starts now), or its state when already known.
    func submit(_ job: RenderJob) -> (state: State, position: Int) {
        if let known = entries[job.id] { return (known.state, waiting.firstIndex(of: job.id).map { $0 + 1 } ?? 0) }
        entries[job.id] = Entry(job: job, state: .queued)
        waiting.append(job.id)
        startWaiting()
        beat()
        let entry = entries[job.id]
        return (entry?.state ?? .rendering, waiting.firstIndex(of: job.id).map { $0 + 1 } ?? 0)
    }

    /// Stops a render: one waiting is dropped (and reported cancelled), one running has its ffmpeg killed.
    func cancel(_ id: String) -> Bool {
        guard var entry = entries[id] else { return false }
        entry.cancelled = true
        entries[id] = entry
        if let index = waiting.firstIndex(of: id) {
            waiting.remove(at: index)
            entries[id] = nil
            let reporter = reporter
            Task { await reporter.finished(id, .cancelled) }
        } else {
            entry.task?.cancel()
        }
        return true
    }

    var counts: (queued: Int, rendering: Int) { (waiting.count, running) }

    private(set) var stopping = false

    /// The host is stopping: nothing more starts, and running ffmpegs are killed (a render can take far
    /// longer than a shutdown may).
    func stopAll() {
        stopping = true
        waiting.removeAll()
        heartbeat?.cancel()
        for entry in entries.values { entry.task?.cancel() }
    }

    private func startWaiting() {
        while !stopping, running < slots, !waiting.isEmpty {
            let id = waiting.removeFirst()
            guard var entry = entries[id] else { continue }
            running += 1
            entry.state = .rendering
            let run = RenderRun(job: entry.job, media: media, reporter: reporter, logger: logger)
            let reporter = reporter
            entry.task = Task {
                await reporter.progress(id, state: "rendering", fraction: 0)
                let outcome = await run.run()
                // Stopped by the host's shutdown: not an outcome. The api hands the render over again once
                // it has heard nothing for a while.
                if await !self.stopping { await reporter.finished(id, outcome) }
                self.ended(id)
            }
            entries[id] = entry
        }
    }

    private func ended(_ id: String) {
        entries[id] = nil
        running -= 1
        startWaiting()
    }

    private func beat() {
        guard heartbeat == nil else { return }
        heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                let alive = self.alive()
                if alive.isEmpty { break }
                for (id, state) in alive { await reporter.progress(id, state: state.rawValue, fraction: nil) }
            }
            self.heartbeatEnded()
        }
    }

    private func alive() -> [(String, State)] { entries.map { ($0.key, $0.value.state) } }

    private func heartbeatEnded() {
        heartbeat = nil
        if !entries.isEmpty { beat() }
    }
}
