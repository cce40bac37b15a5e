import Testing
@testable import OzziRuntime

@Suite struct ConnectionCounterTests {
    @Test func drainOpensWhenTheLastConnectionCloses() {
        let counter = ConnectionCounter()
        #expect(counter.acquire(limit: 10) && counter.acquire(limit: 10))
        let drained = counter.drain()
        counter.release()
        #expect(!drained.isOpen, "one connection is still open")
        counter.release()
        #expect(drained.isOpen)
    }

    @Test func drainWithNothingOpenIsAlreadyOpen() {
        #expect(ConnectionCounter().drain().isOpen)
    }
}
