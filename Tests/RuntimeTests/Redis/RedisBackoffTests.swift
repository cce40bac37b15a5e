import Testing
@testable import OzziRuntime

@Suite struct RedisBackoffTests {
    @Test func doublesUpToTheCeilingWithHalfOfEachDelayFixed() {
        var backoff = RedisBackoff(initialMilliseconds: 100, maximumMilliseconds: 1_000)
        let lowest = (0..<6).map { _ in backoff.next { _ in 0 } }
        #expect(lowest == [50, 100, 200, 400, 500, 500])
        backoff.reset()
        let highest = (0..<6).map { _ in backoff.next { $0 - 1 } }
        #expect(highest == [100, 200, 400, 800, 1_000, 1_000])
    }

    @Test func startsOverAfterAReset() {
        var backoff = RedisBackoff(initialMilliseconds: 10, maximumMilliseconds: 1_000)
        for _ in 0..<5 { _ = backoff.next { _ in 0 } }
        backoff.reset()
        #expect(backoff.next { _ in 0 } == 5)
    }
}
