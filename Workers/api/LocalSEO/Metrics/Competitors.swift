import OzziRuntime

/// The other places seen across a scan's grid for one keyword: how many points each answered at, its
/// average rank there, and its rating and review count — who the business is up against, and where.
struct Competitor: Codable, Sendable, Equatable {
    let title: String
    let cid: String?
    let place_id: String?
    let points: Int
    let average_rank: Double
    let rating: Double?
    let reviews: Int?

    /// From the points' places, without the business itself; most points first, then best average rank.
    static func tally(_ points: [ScanPoint], excluding target: MapsTarget, limit: Int) -> [Competitor] {
        var seen: [String: (place: MapsPlace, ranks: [Int])] = [:]
        for point in points {
            for place in point.places.compactMap(MapsPlace.init) where !target.matches(place) {
                let key = place.cid ?? place.placeID ?? place.title
                seen[key, default: (place, [])].ranks.append(place.position)
            }
        }
        return seen.values.map { entry in
            Competitor(title: entry.place.title, cid: entry.place.cid, place_id: entry.place.placeID, points: entry.ranks.count,
                       average_rank: RankMetrics.rounded(Double(entry.ranks.reduce(0, +)) / Double(entry.ranks.count)),
                       rating: entry.place.rating, reviews: entry.place.reviews)
        }.sorted { ($0.points, -$0.average_rank, $0.title) > ($1.points, -$1.average_rank, $1.title) }.prefix(limit).map { $0 }
    }
}

extension Competitor: APIModel {
    static let schemaName = "SEOCompetitor"
    static let schema = Schema.object([
        .required("title", Schema.string().example("Luigi's Trattoria")),
        .optional("cid", .string()),
        .optional("place_id", .string()),
        .required("points", Schema.integer(min: 1).described("Grid points where it answered in the first 20")),
        .required("average_rank", Schema.number(1...20).described("Its mean rank over those points")),
        .optional("rating", .number(0...5)),
        .optional("reviews", .integer(min: 0)),
    ], closed: true)
}
