import Testing
@testable import OzziRuntime

@Suite struct LogTailTests {
    @Test func aSlowWatcherLosesLinesAndIsToldHowMany() async {
        let tail = LogTail()
        let (lines, watcher) = tail.watch(worker: "api", buffer: 2)
        for n in 1...5 { tail.publish(worker: "api") { Array("\(n)".utf8) } }
        #expect(watcher.dropped.load(ordering: .relaxed) == 3)
        watcher.continuation.finish()
        var received: [String] = []
        for await line in lines { received.append(String(decoding: line, as: UTF8.self)) }
        #expect(received == ["1", "2"], "the oldest lines are kept; the host never waits for the reader")
    }

    @Test func aWatcherSeesOnlyItsWorkerAndNothingIsBuiltForNobody() async {
        let tail = LogTail()
        var built = 0
        tail.publish(worker: "api") { built += 1; return [] }
        #expect(built == 0 && !tail.isWatched)
        let (lines, watcher) = tail.watch(worker: "api")
        tail.publish(worker: "widget") { built += 1; return Array("widget".utf8) }
        tail.publish(worker: "api") { Array("api".utf8) }
        #expect(built == 0, "a line for a worker nobody watches is not even built")
        watcher.continuation.finish()
        var received: [String] = []
        for await line in lines { received.append(String(decoding: line, as: UTF8.self)) }
        #expect(received == ["api"])
        #expect(!tail.isWatched, "a finished watcher is forgotten")
    }
}

/// A client that went away after reading `accepting` lines: every later write fails, as on a closed socket.
private final class GoneClient: ResponseBodyWriter, @unchecked Sendable {
    // Written only by the one stream task that writes to it.
    private var accepted = 0
    let accepting: Int
    private(set) var lines: [String] = []

    init(accepting: Int) { self.accepting = accepting }

    func write(_ bytes: [UInt8]) async throws {
        guard accepted < accepting else { throw ConnectionClosedError() }
        accepted += 1
        lines.append(String(decoding: bytes, as: UTF8.self))
    }
}

@Suite struct TailStreamTests {
    @Test(.timeLimit(.minutes(1))) func aQuietTailWhoseClientWentAwayIsDroppedAtTheNextKeepAlive() async throws {
        let tail = LogTail()
        var endpoints = OperatorEndpoints(token: "t", metrics: MetricsRegistry(), tail: tail, workers: ["api"])
        endpoints.keepAlive = .milliseconds(1)
        let response = await endpoints.respond(to: Request(method: "GET", target: "/__ozzi/tail?worker=api", headers: ["authorization": "Bearer t"]))
        guard case .stream(let produce) = response.body else { Issue.record("not a stream"); return }
        #expect(tail.isWatched)
        let client = GoneClient(accepting: 1)
        // The worker logs nothing: only the keep-alive line finds out that the client is gone.
        await #expect(throws: ConnectionClosedError.self) { try await produce(client) }
        #expect(client.lines.count == 1 && client.lines[0].contains(#""type":"connected""#))
        #expect(!tail.isWatched, "the watcher is gone with its client")
    }
}
