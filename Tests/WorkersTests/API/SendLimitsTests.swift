import Testing
@testable import APIWorker

/// Send rates come from vars; one that is not a positive number stops start-up naming the var.
@Suite struct SendLimitsTests {
    @Test func aRateThatIsNotPositiveStopsStartUp() async throws {
        for (name, value) in [("SMS_RATE_PER_WORKSPACE", "0"), ("SMS_RATE_PER_USER", "-5"), ("SMS_RATE_BURST", "lots")] {
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
}
