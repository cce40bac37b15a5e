import Synchronization
import Testing
@testable import OzziRuntime

@Suite struct RequestBodyStreamTests {
    @Test func chunksComeOutInOrderThenTheEnd() async throws {
        let stream = RequestBodyStream(highWater: 100, lowWater: 10) {}
        _ = stream.append([1, 2])
        _ = stream.append([3])
        stream.finish()
        #expect(try await stream.collect(upTo: 10) == [1, 2, 3])
        #expect(try await stream.next() == nil)
    }

    @Test func aWaitingConsumerIsHandedTheNextChunk() async throws {
        let stream = RequestBodyStream(highWater: 100, lowWater: 10) {}
        async let first = stream.next()
        try await Task.sleep(for: .milliseconds(20))
        _ = stream.append([7])
        #expect(try await first == [7])
    }

    @Test func theProducerPausesAboveHighWaterAndResumesBelowLowWater() async throws {
        let resumed = Atomic<Int>(0)
        let stream = RequestBodyStream(highWater: 10, lowWater: 5) { resumed.add(1, ordering: .relaxed) }
        #expect(stream.append([UInt8](repeating: 0, count: 6)) == false)
        #expect(stream.append([UInt8](repeating: 0, count: 6)) == true, "12 buffered bytes are over 10")
        _ = try await stream.next()
        #expect(resumed.load(ordering: .relaxed) == 0, "6 left is not below 5")
        _ = try await stream.next()
        #expect(resumed.load(ordering: .relaxed) == 1)
    }

    @Test func aFailureComesAfterTheChunksBeforeIt() async throws {
        let stream = RequestBodyStream(highWater: 100, lowWater: 10) {}
        _ = stream.append([1])
        stream.fail(.timedOut)
        #expect(try await stream.next() == [1])
        await #expect(throws: RequestBodyError.timedOut) { try await stream.next() }
    }

    @Test func unshiftPutsBytesBackInFront() async throws {
        let stream = RequestBodyStream(highWater: 100, lowWater: 10) {}
        _ = stream.append([1, 2])
        _ = stream.append([3])
        stream.finish()
        let head = try await stream.next()
        stream.unshift(head ?? [])
        #expect(try await stream.collect(upTo: 10) == [1, 2, 3])
        await #expect(throws: RequestBodyError.tooLarge(limit: 2)) { try await RequestBodyStream(bytes: [1, 2, 3]).collect(upTo: 2) }
    }
}
