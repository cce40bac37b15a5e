/// The campaign lifecycle as a pure state machine: an event in, the next state and what to do out, or
/// the refusal a client sees (409 naming both states). The store applies a transition in one transaction
/// with its state event; the runner and the routes act on its `effects`.
enum CampaignMachine {
    /// What moves a campaign: a person's action or the runner's finding.
    enum Event: Equatable, Sendable {
        /// `POST /schedule`: wait for `send_at`.
        case schedule
        /// `POST /unschedule`: back to a draft.
        case unschedule
        /// `POST /send`: start now, scheduled or not.
        case sendNow
        /// The runner found `send_at` reached.
        case start
        case pause
        /// The runner counted `failures` failed sends since the last start, at or over `threshold`.
        case autoPause(failures: Int, threshold: Int)
        case resume
        case cancel
        /// The runner found the audience expanded and nothing pending or sending.
        case finish

        /// The action's name, as in its route.
        var name: String {
            switch self {
            case .schedule: "schedule"
            case .unschedule: "unschedule"
            case .sendNow: "send"
            case .start: "start"
            case .pause, .autoPause: "pause"
            case .resume: "resume"
            case .cancel: "cancel"
            case .finish: "finish"
            }
        }
    }

    /// What the store and the runner do besides recording the new state.
    enum Effect: Equatable, Sendable {
        /// Start a run chain at `send_at` (a new token; the old chain stops).
        case armStart
        /// Start a run chain now: expansion, stats, finish and auto-pause checks.
        case run
        /// Fix what every recipient gets from here on (an email's content row).
        case freezeContent
        /// Give the pending messages new due times from now at the throttle, and queue them again.
        case replanPending
        /// Stop the pending messages' queued jobs from acting (a version bump); the engine also holds
        /// messages of a campaign that is not running.
        case holdPending
        /// Cancel the pending messages.
        case cancelPending
    }

    struct Transition: Equatable, Sendable {
        let from: CampaignState
        let to: CampaignState
        let reason: String?
        let effects: [Effect]
    }

    struct Refusal: Error, Equatable, Sendable {
        let state: CampaignState
        let event: String

        var message: String { "a \(state.rawValue) campaign cannot \(event)" }
    }

    static func apply(_ event: Event, to state: CampaignState) -> Result<Transition, Refusal> {
        func to(_ next: CampaignState, _ effects: [Effect] = [], reason: String? = nil) -> Result<Transition, Refusal> {
            .success(Transition(from: state, to: next, reason: reason, effects: effects))
        }
        switch (state, event) {
        case (.draft, .schedule):
            return to(.scheduled, [.armStart])
        case (.scheduled, .schedule):
            // A new send_at: the chain armed for the old one stops.
            return to(.scheduled, [.armStart])
        case (.scheduled, .unschedule):
            return to(.draft)
        case (.draft, .sendNow), (.scheduled, .sendNow), (.scheduled, .start):
            return to(.running, [.freezeContent, .run])
        case (.running, .pause):
            return to(.paused, [.holdPending], reason: "paused by a user")
        case (.running, .autoPause(let failures, let threshold)):
            return to(.paused, [.holdPending], reason: "paused automatically: \(failures) sends failed (threshold \(threshold))")
        case (.paused, .resume):
            return to(.running, [.freezeContent, .replanPending, .run])
        case (.scheduled, .cancel):
            return to(.cancelled, reason: "cancelled by a user")
        case (.running, .cancel), (.paused, .cancel):
            return to(.cancelled, [.cancelPending], reason: "cancelled by a user")
        case (.running, .finish):
            return to(.finished)
        case (.draft, _), (.scheduled, _), (.running, _), (.paused, _), (.finished, _), (.cancelled, _):
            return .failure(Refusal(state: state, event: event.name))
        }
    }
}
