import OzziRuntime

/// A domain a workspace sends email from, with the records it must publish and their last check.
/// Verified when its required records (SPF and DKIM) are; DMARC and MX are advice.
struct SendingDomain: Codable, SQLRecord, Sendable, Equatable {
    enum Status: String, Codable, Sendable, CaseIterable {
        /// Not checked yet, or no check could reach DNS.
        case pending
        case verified
        /// Checked: a required record is missing or wrong.
        case failed
    }

    let id: String
    let name: String
    /// Whose records these are: `simulated`, `smtp` (we sign; the key is ours) or `resend`.
    let provider: String
    /// The provider's own id for the domain (Resend's), when the provider keeps domains.
    let provider_domain_id: String?
    let status: Status
    let records: [DomainRecord]
    let dkim_selector: String?
    let checked_at: String?
    let verified_at: String?
    let created_at: String
    let updated_at: String
    enum CodingKeys: String, SQLColumn { case id, name, provider, provider_domain_id, status, records, dkim_selector, checked_at, verified_at, created_at, updated_at }
    typealias Columns = CodingKeys

    /// The status its records earn: verified when every required one is; failed when a required one was
    /// found missing or wrong; otherwise (a required record not yet told) the status it had.
    static func status(of records: [DomainRecord], was previous: Status) -> Status {
        let required = records.filter(\.required)
        if required.allSatisfy({ $0.status == .verified }) { return .verified }
        if required.contains(where: { $0.status == .missing || $0.status == .wrong }) { return .failed }
        return previous
    }

    /// Resend's last word on a domain, from what it said of each required record at its last answer, for
    /// a check that could not ask it: verified when it verified them all, failed when it failed one,
    /// pending otherwise; nil when it has said nothing of them yet.
    static func providerStatus(of records: [DomainRecord]) -> String? {
        let required = records.filter(\.required)
        let told = required.compactMap(\.provider_status)
        guard !told.isEmpty else { return nil }
        if told.contains("failed") { return "failed" }
        return told.count == required.count && told.allSatisfy { $0 == "verified" } ? "verified" : "pending"
    }

    /// For a domain the provider verifies too (Resend): verified when both DNS and the provider say so,
    /// failed when either found it failing; otherwise pending. `provider` nil: the provider could not be
    /// asked, and DNS alone tells.
    static func status(of records: [DomainRecord], was previous: Status, provider: String?) -> Status {
        let ours = status(of: records, was: previous)
        guard let provider else { return ours }
        if ours == .failed || provider == "failed" { return .failed }
        return ours == .verified && provider == "verified" ? .verified : .pending
    }
}
