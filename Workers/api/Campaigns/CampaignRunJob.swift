import OzziRuntime

/// A step of a run chain (`{"kind": ..., "campaign_id": ..., "token": ...}` on `JOBS`): only a job carrying
/// the campaign's current `run_token` acts, so a restarted chain (resume, a stalled chain restarted)
/// replaces the old one. Messaging and call campaigns each have their kind.
protocol RunChainJob: QueueJob, Equatable {
    var campaignID: String { get }
    var token: String { get }
    init(campaignID: String, token: String)
}

extension RunChainJob {
    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(campaignID: try payload.string("campaign_id"), token: try payload.string("token"))
    }

    var fields: [String: JSONValue] { ["campaign_id": .string(campaignID), "token": .string(token)] }
}

/// One step of a campaign's run chain: start it when due, or, while it runs, re-plan, expand, count and
/// check it, then queue the next step.
struct CampaignRunJob: RunChainJob {
    static let kind = "campaign.run"
    let campaignID: String
    let token: String
}
