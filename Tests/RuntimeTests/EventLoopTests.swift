import OzziTestSupport
import Glibc
import Testing
@testable import OzziRuntime

@Suite struct EventLoopTests {
    @Test func tasksPreferringALoopRunOnItsThread() async throws {
        let group = try EventLoopGroup(count: 2)
        group.start()
        defer { group.shutdown() }
        for loop in group.loops {
            let onLoop = await Task(executorPreference: loop) { loop.inLoop }.value
            #expect(onLoop)
        }
    }

    @Test func blockingWorkLeavesTheLoopFreeAndResumesOnIt() async throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let loop = group.loops[0]
        let result = try await Task(executorPreference: loop) { () async throws -> (Bool, Bool, Bool) in
            async let slow: Bool = BlockingPool.shared.run {
                usleep(300_000)
                return loop.inLoop
            }
            // While the pool sleeps, the loop still runs other work promptly.
            let started = ContinuousClock.now
            let quick = await loop.submit { loop.inLoop }
            let prompt = ContinuousClock.now - started < .milliseconds(100)
            let ranOffLoop = !(try await slow)
            return (quick && prompt, ranOffLoop, loop.inLoop)
        }.value
        #expect(result.0, "the loop answered while blocking work ran")
        #expect(result.1, "blocking work ran on a pool thread")
        #expect(result.2, "the caller resumed on its loop")
    }

    @Test func blockingErrorsPropagate() async throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        await #expect(throws: ProbeFailure.self) {
            try await BlockingPool.shared.run { throw ProbeFailure() }
        }
    }
}
