import Testing
@testable import APIWorker

/// The campaign lifecycle and pacing, without a host.
@Suite struct CampaignMachineTests {
    typealias Event = CampaignMachine.Event

    static let events: [Event] = [.schedule, .unschedule, .sendNow, .start, .pause, .autoPause(failures: 7, threshold: 5), .resume, .cancel, .finish]

    /// Every (state, event) pair: the allowed ones go where the lifecycle says, with their effects; every
    /// other is refused naming the state and the action.
    @Test func everyTransition() {
        let allowed: [String: (CampaignState, [CampaignMachine.Effect])] = [
            "draft schedule": (.scheduled, [.armStart]),
            "scheduled schedule": (.scheduled, [.armStart]),
            "scheduled unschedule": (.draft, []),
            "draft send": (.running, [.freezeContent, .run]),
            "scheduled send": (.running, [.freezeContent, .run]),
            "scheduled start": (.running, [.freezeContent, .run]),
            "running pause": (.paused, [.holdPending]),
            "running autoPause": (.paused, [.holdPending]),
            "paused resume": (.running, [.freezeContent, .replanPending, .run]),
            "scheduled cancel": (.cancelled, []),
            "running cancel": (.cancelled, [.cancelPending]),
            "paused cancel": (.cancelled, [.cancelPending]),
            "running finish": (.finished, []),
        ]
        var seen = 0
        for state in CampaignState.allCases {
            for event in Self.events {
                let key = "\(state.rawValue) \(Self.label(event))"
                switch (CampaignMachine.apply(event, to: state), allowed[key]) {
                case (.success(let transition), let expected?):
                    seen += 1
                    #expect(transition.from == state, "\(key)")
                    #expect(transition.to == expected.0, "\(key)")
                    #expect(transition.effects == expected.1, "\(key)")
                case (.failure(let refusal), nil):
                    #expect(refusal.state == state)
                    #expect(refusal.message == "a \(state.rawValue) campaign cannot \(event.name)")
                case (let result, let expected):
                    Issue.record("\(key): got \(result), expected \(String(describing: expected))")
                }
            }
        }
        #expect(seen == allowed.count)
    }

    static func label(_ event: Event) -> String {
        if case .autoPause = event { return "autoPause" }
        return event.name
    }

    @Test func pausesSayWhy() throws {
        #expect(try CampaignMachine.apply(.pause, to: .running).get().reason == "paused by a user")
        #expect(try CampaignMachine.apply(.autoPause(failures: 12, threshold: 10), to: .running).get().reason
                == "paused automatically: 12 sends failed (threshold 10)")
        #expect(try CampaignMachine.apply(.cancel, to: .paused).get().reason == "cancelled by a user")
        #expect(try CampaignMachine.apply(.finish, to: .running).get().reason == nil)
    }

    @Test func onlyDraftScheduledAndPausedAreEditable() {
        #expect(CampaignState.allCases.filter(\.isEditable) == [.draft, .scheduled, .paused])
        #expect(CampaignState.allCases.filter(\.isFinal) == [.finished, .cancelled])
    }

    /// Sends are spaced at the throttle, and the pace carries from batch to batch: two batches planned one
    /// after the other are the same times as one batch of both.
    @Test func pacingHoldsAcrossBatches() {
        let pacing = CampaignPacing(perSecond: 3, aheadMs: 60_000)
        let whole = pacing.plan(count: 1000, nextDueMs: 0, now: 10_000)
        #expect(whole.due.prefix(4) == [10_000, 10_333, 10_666, 11_000])
        let first = pacing.plan(count: 300, nextDueMs: 0, now: 10_000)
        #expect(first.next == 110_000)
        // The next batch is made 5 s later (ahead of the pace): it goes on from where the first left off.
        let second = pacing.plan(count: 300, nextDueMs: first.next, now: 15_000)
        #expect(second.due.first == 110_000)
        #expect(Array(whole.due.prefix(600)) == first.due + second.due)
        // Made late (the pace is in the past): it starts now rather than crowding sends into the past.
        #expect(pacing.plan(count: 2, nextDueMs: first.next, now: 200_000).due == [200_000, 200_333])
    }

    @Test func expansionStaysWithinItsWindowAhead() {
        let pacing = CampaignPacing(perSecond: 10, aheadMs: 60_000)
        #expect(pacing.mayExpand(nextDueMs: 160_000, now: 100_000))
        #expect(!pacing.mayExpand(nextDueMs: 160_001, now: 100_000))
        #expect(pacing.wakeDelayMs(nextDueMs: 170_000, now: 100_000) == 10_000)
        #expect(pacing.wakeDelayMs(nextDueMs: 150_000, now: 100_000) == 0)
    }

    @Test func statsCountEachStatusWhereItBelongs() {
        var stats = CampaignStats()
        stats.add(status: .pending, emailStatus: nil, 3)
        stats.add(status: .sending, emailStatus: nil, 1)
        stats.add(status: .delivered, emailStatus: nil, 10)
        stats.add(status: .sent, emailStatus: nil, 2)
        stats.add(status: .undelivered, emailStatus: nil, 1)
        stats.add(status: .failed, emailStatus: nil, 4)
        stats.add(status: .delivered, emailStatus: "clicked", 5)
        stats.add(status: .delivered, emailStatus: "opened", 6)
        stats.add(status: .delivered, emailStatus: "complained", 1)
        stats.add(status: .undelivered, emailStatus: "bounced", 2)
        stats.add(status: .canceled, emailStatus: nil, 7)
        stats.add(status: .review, emailStatus: nil, 1)
        #expect(stats == CampaignStats(recipients: 43, pending: 4, sent: 27, delivered: 22, failed: 5, bounced: 2, opened: 11, clicked: 5,
                                       unsubscribed: 0, complained: 1, canceled: 7, review: 1))
    }
}
