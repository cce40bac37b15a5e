/// The columns a record reads: a `CodingKey` enum whose cases name them, in select order.
public protocol SQLColumn: CodingKey, CaseIterable {}
