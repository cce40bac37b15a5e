/// One step of a call campaign's run chain (`CallCampaignRunner.run`).
struct CallCampaignRunJob: RunChainJob {
    static let kind = "call_campaign.run"
    let campaignID: String
    let token: String
}
