import Glibc
import OzziRuntime
import Synchronization

/// What a simulated provider (SMS or email) keeps besides its answers: a send log with one line per
/// accepted send, written before the provider answers (as a real one commits before its 2xx), so a test
/// counting sends per message after a kill -9 also sees the sends the host never heard about; attempts
/// per message, for the test recipients that fail a set number of times; its callbacks, queued in
/// batches; and an outage a test can stage (`haltAfter`).
final class SimulatedOutbox: Sendable {
    private let log: Int32
    private let callbacks: any QueueProducer
    /// After this many accepted sends the provider stops answering: every further call hangs, as one whose
    /// API stalls. A crash test kills the host then, mid-campaign by construction; a campaign's pace alone
    /// cannot promise that on a busy machine, where a host starved for seconds catches up in one burst.
    private let haltAfter: Int?
    /// Sends admitted so far (counted only with `haltAfter`).
    private let admitted = Mutex(0)
    /// Attempts per message (the simulated service's memory), bounded: a message that fails a set number
    /// of times is retried within seconds, long before the map is emptied.
    private let attempts = Mutex<[String: Int]>([:])
    /// Callbacks not yet queued: the sends of one engine batch are queued together, in one transaction
    /// rather than one each.
    private let unsent = Mutex<[OutgoingMessage]>([])

    init(logPath: String, callbacks: any QueueProducer, haltAfter: Int? = nil) throws {
        log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw POSIXFailure(operation: "open \(logPath)") }
        self.callbacks = callbacks
        self.haltAfter = haltAfter
    }

    deinit {
        close(log)
    }

    /// Counts an attempt at `messageID` and answers which one this is (1 for the first).
    func attempt(_ messageID: String) -> Int {
        attempts.withLock { attempts in
            if attempts.count > 100_000 { attempts.removeAll() }
            attempts[messageID, default: 0] += 1
            return attempts[messageID]!
        }
    }

    /// Lets `count` sends through, or, once `haltAfter` sends have been, never returns (the caller's task
    /// hangs until the process ends). A call that crosses the limit is let through whole, so the log
    /// holds at least `haltAfter` lines and fewer than `haltAfter` plus one batch.
    func admit(_ count: Int) async {
        guard let haltAfter else { return }
        let open = admitted.withLock { admitted in
            guard admitted < haltAfter else { return false }
            admitted += count
            return true
        }
        guard !open else { return }
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }

    /// Appends sends to the log, one `<message id> <provider id> <recipient>` line each, in one write.
    func record(_ sends: [(messageID: String, providerID: String, to: String)]) {
        guard !sends.isEmpty else { return }
        var bytes: [UInt8] = []
        for send in sends {
            bytes.append(contentsOf: "\(send.messageID) \(send.providerID) \(send.to)\n".utf8)
        }
        _ = bytes.withUnsafeBytes { write(log, $0.baseAddress, $0.count) }
    }

    /// Adds callbacks to the next flush; the first one in schedules it, on the next turn of the executor,
    /// by when the other sends of the batch have added theirs.
    func queue(_ messages: [OutgoingMessage]) {
        guard !messages.isEmpty else { return }
        let first = unsent.withLock { unsent in
            unsent.append(contentsOf: messages)
            return unsent.count == messages.count
        }
        guard first else { return }
        Task { [self] in
            await Task.yield()
            let batch = unsent.withLock { unsent in
                defer { unsent = [] }
                return unsent
            }
            for start in stride(from: 0, to: batch.count, by: 100) {
                await send(Array(batch[start..<min(start + 100, batch.count)]))
            }
        }
    }

    /// One batch onto the queue, tried again on a failure (a database busy on a loaded machine) for about
    /// ten seconds, as a provider retries its webhooks; only a queue that stays shut (the host stopping)
    /// drops it.
    private func send(_ batch: [OutgoingMessage]) async {
        for attempt in 0..<40 {
            do {
                try await callbacks.sendBatch(batch)
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(min(500, 10 << min(attempt, 6))))
            }
        }
    }

    /// A POST to `url` as the api worker's own router takes it: the path and query alone.
    static func request(url: String, headers: HTTPHeaders, body: [UInt8]) -> Request {
        let path = url.range(of: "://").flatMap { scheme in url[scheme.upperBound...].firstIndex(of: "/").map { String(url[$0...]) } } ?? "/"
        return Request(method: "POST", target: path, headers: headers, body: body)
    }
}
