import OzziRuntime

/// One step of a campaign's run chain (`JOBS` queue): start it when due, or, while it runs, re-plan,
/// expand, count and check it, then queue the next step. Only a job carrying the campaign's current
/// `run_token` acts, so a restarted chain (resume, a stalled chain restarted) replaces the old one.
struct CampaignRunJob: QueueJob, Equatable {
    static let kind = "campaign.run"
    let campaignID: String
    let token: String

    init(campaignID: String, token: String) {
        self.campaignID = campaignID
        self.token = token
    }

    init(_ payload: JobPayload) throws(JobPayloadError) {
        self.init(campaignID: try payload.string("campaign_id"), token: try payload.string("token"))
    }

    var fields: [String: JSONValue] { ["campaign_id": .string(campaignID), "token": .string(token)] }
}
