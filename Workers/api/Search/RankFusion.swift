/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list ranks its own type by its own
/// relevance (BM25 scores of different tables do not compare), and an item's fused score is the sum of
/// 1 / (k + its rank) over the lists it is in. k = 60, the paper's value, keeps one list's top hit from
/// drowning the others.
enum RankFusion {
    static let k = 60.0

    /// The items of every list, best first, each with its fused score; ties keep the lists' order.
    static func merge<Item>(_ lists: [[Item]], key: (Item) -> String) -> [(item: Item, score: Double)] {
        var scores: [String: Double] = [:]
        var first: [String: (item: Item, order: Int)] = [:]
        var order = 0
        for list in lists {
            for (rank, item) in list.enumerated() {
                let id = key(item)
                scores[id, default: 0] += 1 / (k + Double(rank + 1))
                if first[id] == nil {
                    first[id] = (item, order)
                    order += 1
                }
            }
        }
        return first.map { id, entry in (entry.item, scores[id] ?? 0, entry.order) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
            .map { ($0.0, $0.1) }
    }
}
