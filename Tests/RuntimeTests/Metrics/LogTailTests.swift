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
