import OzziRuntime

/// A named set of contacts; a contact may be in any number of groups.
struct Group: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let description: String
    let color: String
    let member_count: Int
    let created_at: String
    let updated_at: String
    enum CodingKeys: String, SQLColumn { case id, name, description, color, member_count, created_at, updated_at }
    typealias Columns = CodingKeys
}
