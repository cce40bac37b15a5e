/// A scan's metrics for one keyword, over its grid points' ranks (1-20, nil where the business was not
/// found). The formulas, as the API documents them:
/// - ARP (average rank position) = the mean rank over the points where it was found; nil if none.
/// - ATRP (average total rank position) = the mean over all points, a point where it was not found
///   counting as 21.
/// - SoLV (share of local voice) = the percentage of points where it ranks 1-3.
struct RankMetrics: Sendable, Equatable {
    let points: Int
    let found: Int
    let arp: Double?
    let atrp: Double
    let solv: Double

    static let notFoundRank = 21
    static let topRanks = 1...3

    init(ranks: [Int?]) {
        points = ranks.count
        let hits = ranks.compactMap { $0 }
        found = hits.count
        arp = hits.isEmpty ? nil : Self.rounded(Double(hits.reduce(0, +)) / Double(hits.count))
        atrp = ranks.isEmpty ? Double(Self.notFoundRank) : Self.rounded(Double(ranks.reduce(0) { $0 + ($1 ?? Self.notFoundRank) }) / Double(ranks.count))
        solv = ranks.isEmpty ? 0 : Self.rounded(100 * Double(hits.filter { Self.topRanks.contains($0) }.count) / Double(ranks.count))
    }

    /// Two decimals.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static let described = "ARP: the mean rank over the points where the business was found (null if none). ATRP: the mean over all points, "
        + "a point where it was not found counting as 21. SoLV: the percentage of points where it ranks 1-3."
}
