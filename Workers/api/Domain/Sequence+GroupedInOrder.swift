extension Sequence {
    /// The elements grouped by `key`: the groups in the order of their first elements, each group's elements
    /// in their order. For batches whose parts must keep the order they came in (a queue batch's kinds, one
    /// email's events, a window's jobs).
    func groupedInOrder<Key: Hashable>(by key: (Element) throws -> Key) rethrows -> [(key: Key, elements: [Element])] {
        var positions: [Key: Int] = [:]
        var groups: [(key: Key, elements: [Element])] = []
        for element in self {
            let key = try key(element)
            if let position = positions[key] {
                groups[position].elements.append(element)
            } else {
                positions[key] = groups.count
                groups.append((key, [element]))
            }
        }
        return groups
    }
}
