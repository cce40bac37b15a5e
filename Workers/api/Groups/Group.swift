/// A named set of contacts; a contact may be in any number of groups.
struct Group: Codable, Sendable, Equatable {
    let id: String
    let name: String
    let description: String
    let color: String
    let member_count: Int
    let created_at: String
    let updated_at: String
}
