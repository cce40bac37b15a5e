import Foundation
import Logging
import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

@Suite struct ServiceGroupTests {
    /// What the services of one test did, in order.
    final class Journal: Sendable {
        private let entries = Mutex<[String]>([])

        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
        func contains(_ entry: String) -> Bool { all.contains(entry) }
        /// The entries other than starts, whose order the group leaves to the scheduler.
        var stops: [String] { all.filter { !$0.hasSuffix(" started") } }
    }

    struct Broken: Error {}

    /// A service that writes down what happens to it. Being asked to stop is written from the group's own
    /// call (a graceful-shutdown handler), so the journal's order is the order of the group's requests.
    struct Recorder: Service, CustomStringConvertible {
        enum Behaviour: Sendable {
            /// Returns once asked to stop.
            case stopsWhenAsked
            /// Once asked to stop, returns only when the test opens the gate named after it.
            case finishesAtGate(Gates)
            /// Sleeps on, asked or not, until cancelled.
            case ignoresTheRequest
            /// Throws as soon as it starts.
            case fails
            /// Waits for its next "timer" in `cancelOnGracefulShutdown`, which the request cuts short.
            case cancelsItsWaitWhenAsked
        }

        let name: String
        let behaviour: Behaviour
        let journal: Journal
        var description: String { name }

        func run() async throws {
            journal.add("\(name) started")
            if case .fails = behaviour { throw Broken() }
            do {
                try await withGracefulShutdownHandler {
                    switch behaviour {
                    case .stopsWhenAsked, .fails:
                        try await gracefulShutdown()
                    case .finishesAtGate(let gates):
                        try await gracefulShutdown()
                        _ = await gates.wait(name)
                    case .ignoresTheRequest:
                        try await Task.sleep(for: .seconds(86_400))
                    case .cancelsItsWaitWhenAsked:
                        do {
                            try await cancelOnGracefulShutdown { try await Task.sleep(for: .seconds(86_400)) }
                        } catch is CancellationError {
                            journal.add("\(name) wait cut short")
                        }
                    }
                } onGracefulShutdown: { [journal, name] in
                    journal.add("\(name) asked to stop")
                }
            } catch {
                journal.add("\(name) cancelled")
                throw error
            }
            journal.add("\(name) stopped")
        }
    }

    let journal = Journal()
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func recorder(_ name: String, _ behaviour: Recorder.Behaviour = .stopsWhenAsked) -> Recorder {
        Recorder(name: name, behaviour: behaviour, journal: journal)
    }

    func allStarted(_ count: Int) async throws -> Bool {
        try await Poll.until { journal.all.filter { $0.hasSuffix(" started") }.count == count }
    }

    @Test func servicesStopInReverseOrderEachOnceTheOneAfterItHasReturned() async throws {
        let gates = Gates()
        let held = "held-\(UUID().uuidString)"
        let group = ServiceGroup(
            services: [recorder("first"), recorder(held, .finishesAtGate(gates)), recorder("last", .cancelsItsWaitWhenAsked)],
            gracefulShutdownTimeout: nil, logger: logger)
        let running = Task { try await group.run() }
        #expect(try await allStarted(3))
        group.triggerGracefulShutdown()
        #expect(try await Poll.until { journal.contains("\(held) asked to stop") })
        let beforeOpening = journal.stops
        gates.open(held)
        try await running.value
        #expect(beforeOpening == ["last asked to stop", "last wait cut short", "last stopped", "\(held) asked to stop"],
                "the first service is not asked while the one after it is finishing")
        #expect(journal.stops == [
            "last asked to stop", "last wait cut short", "last stopped",
            "\(held) asked to stop", "\(held) stopped",
            "first asked to stop", "first stopped",
        ])
    }

    @Test func theDeadlineCancelsWhatHasNotStoppedInTime() async throws {
        let clock = TestClock()
        let group = ServiceGroup(
            services: [recorder("first"), recorder("stuck", .ignoresTheRequest)],
            gracefulShutdownTimeout: .seconds(10), clock: clock, logger: logger)
        let running = Task { try await group.run() }
        #expect(try await allStarted(2))
        group.triggerGracefulShutdown()
        // The deadline's timer is asleep on the test's clock, and the stuck service has been asked.
        #expect(try await Poll.until { clock.sleepers == 1 && journal.contains("stuck asked to stop") })
        clock.advance(by: .seconds(9))
        #expect(clock.sleepers == 1, "nine seconds in, the deadline has not passed")
        clock.advance(by: .seconds(1))
        await #expect(throws: Never.self) { try await running.value }
        #expect(journal.stops == ["stuck asked to stop", "stuck cancelled", "first cancelled"] ||
                journal.stops == ["stuck asked to stop", "first cancelled", "stuck cancelled"],
                "both cancelled at the deadline; the first never got its graceful turn: \(journal.stops)")
    }

    @Test func aFailingServiceStopsTheOthersGracefullyAndRunRethrows() async throws {
        let group = ServiceGroup(
            services: [recorder("first"), recorder("broken", .fails), recorder("last")], gracefulShutdownTimeout: nil, logger: logger)
        await #expect(throws: Broken.self) { try await group.run() }
        #expect(journal.stops == ["last asked to stop", "last stopped", "first asked to stop", "first stopped"])
    }

    @Test func aShutdownRequestedBeforeRunStopsEachServiceOnceStarted() async throws {
        let group = ServiceGroup(services: [recorder("first"), recorder("last")], gracefulShutdownTimeout: nil, logger: logger)
        group.triggerGracefulShutdown()
        try await group.run()
        #expect(journal.stops == ["last asked to stop", "last stopped", "first asked to stop", "first stopped"])
    }

    @Test func outsideAGroupOnlyCancellationEndsTheWait() async {
        let waiting = Task { try await gracefulShutdown() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
