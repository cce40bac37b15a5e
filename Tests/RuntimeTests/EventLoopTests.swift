import Dispatch
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
        // The pool work cannot finish until the loop has run other work: it waits for the loop's quick work
        // to release it. Were the blocking work on the loop, the quick work could not run and the wait would
        // run out its (long, safety) timeout instead.
        let release = DispatchSemaphore(value: 0)
        let result = try await Task(executorPreference: loop) { () async throws -> (Bool, Bool, Bool, Bool) in
            async let slow: (released: Bool, onLoop: Bool) = BlockingPool.shared.run {
                let onLoop = loop.inLoop
                return (release.wait(timeout: .now() + .seconds(60)) == .success, onLoop)
            }
            let quick = await loop.submit { () -> Bool in
                release.signal()
                return loop.inLoop
            }
            let (released, slowOnLoop) = try await slow
            return (quick, released, !slowOnLoop, loop.inLoop)
        }.value
        #expect(result.0, "the loop ran other work")
        #expect(result.1, "... while the blocking work waited for it")
        #expect(result.2, "blocking work ran on a pool thread")
        #expect(result.3, "the caller resumed on its loop")
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
