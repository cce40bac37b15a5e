import Logging
import OzziRuntime
import Testing
@testable import APIWorker

/// Send rates come from vars; one that is not a positive number stops start-up naming the var.
@Suite struct SendLimitsTests {
    @Test func aRateThatIsNotPositiveStopsStartUp() async throws {
        for (name, value) in [("SMS_RATE_PER_WORKSPACE", "0"), ("SMS_RATE_PER_USER", "-5"), ("SMS_RATE_BURST", "lots"),
                              ("EMAIL_MAX_IN_FLIGHT_PER_ACCOUNT", "none")] {
            do {
                let api = try await APIHost.start(vars: [name: value])
                await api.stop()
                Issue.record("\(name) = \(value) started")
            } catch {
                #expect("\(error)".contains(name), "\(error)")
            }
        }
        let api = try await APIHost.start(vars: ["SMS_RATE_PER_WORKSPACE": "0.5"])
        await api.stop()
    }

    /// Each channel counts its own sends in flight: an SMS is a call of its own, an email one of a batch
    /// call's, so email's limits are in emails and far higher; neither channel's vars move the other's.
    @Test func eachChannelHasItsOwnSendsInFlight() throws {
        func limits(_ vars: [String: String]) throws -> SendLimits {
            try SendLimits(WorkerEnv(name: "api", vars: vars, dataDirectory: "/nonexistent", logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        }
        let defaults = try limits([:])
        #expect(defaults.inFlight(.sms).total == 512 && defaults.inFlight(.sms).perAccount == 100 && defaults.inFlight(.sms).backlogPerAccount == 400)
        #expect(defaults.inFlight(.email).total == 2048 && defaults.inFlight(.email).perAccount == 400 && defaults.inFlight(.email).backlogPerAccount == 1600)
        let set = try limits(["SMS_MAX_IN_FLIGHT_PER_ACCOUNT": "1", "EMAIL_MAX_IN_FLIGHT": "300", "EMAIL_MAX_IN_FLIGHT_PER_ACCOUNT": "200"])
        #expect(set.inFlight(.sms).perAccount == 1 && set.inFlight(.sms).total == 512)
        #expect(set.inFlight(.email).perAccount == 200 && set.inFlight(.email).total == 300)
    }
}
