import OzziRuntime

/// A business whose local rankings are tracked: a Google place, matched in results by its place id or cid.
struct SEOBusiness: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let place_id: String?
    let cid: String?
    let latitude: Double
    let longitude: Double
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn { case id, name, place_id, cid, latitude, longitude, created_at, updated_at }
    typealias Columns = CodingKeys

    static let select = "SELECT id, name, place_id, cid, latitude, longitude, created_at, updated_at FROM seo_businesses"

    var target: MapsTarget { MapsTarget(name: name, placeID: place_id, cid: cid, latitude: latitude, longitude: longitude) }
}

extension SEOBusiness: APIModel {
    static let schemaName = "SEOBusiness"
    static let schema = Schema.object([
        .required("id", Schema.string().example("seob_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Joe's Pizza")),
        .optional("place_id", Schema.string().example("ChIJN1t_tDeuEmsRUsoyG83frY4")),
        .optional("cid", Schema.string().example("12345678901234567890").described("Google Maps' customer id")),
        .required("latitude", Schema.number(-90...90)),
        .required("longitude", Schema.number(-180...180)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)

    static func input(creating: Bool) -> Schema {
        let field = { (name: String, schema: Schema) -> Property in creating ? .required(name, schema) : .optional(name, schema) }
        return .object([
            field("name", Schema.text(max: 200).example("Joe's Pizza")),
            .optional("place_id", Schema.string(min: 1, max: 300).example("ChIJN1t_tDeuEmsRUsoyG83frY4")),
            .optional("cid", Schema.string(min: 1, max: 30, pattern: "^[0-9]+$").example("12345678901234567890")),
            field("latitude", Schema.number(-90...90).example(40.7128)),
            field("longitude", Schema.number(-180...180).example(-74.006)),
        ], closed: true)
    }
}
