import Testing
@testable import APIWorker

/// Batches split by a key keep the order they came in: the groups by their first elements, each group's
/// elements as they were.
@Suite struct GroupedInOrderTests {
    @Test func groupsComeInTheOrderOfTheirFirstElements() {
        let events = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)]
        let groups = events.groupedInOrder(by: \.0)
        #expect(groups.map(\.key) == ["b", "a", "c"])
        #expect(groups.map { $0.elements.map(\.1) } == [[1, 3], [2, 5], [4]])
        #expect([Int]().groupedInOrder(by: { $0 }).isEmpty)
    }
}
