import Foundation
import OzziRuntime

/// A Google Maps search at one point: what a scan asks of its provider, a page at a time.
struct MapsQuery: Sendable, Equatable {
    let keyword: String
    let latitude: Double
    let longitude: Double
    let zoom: Int
    /// From 1.
    let page: Int
    /// The business the scan looks for: only a simulated provider uses it (to place it in its made-up world).
    let target: MapsTarget

    /// Serper's `ll`: `@lat,lng,{zoom}z` with six decimals.
    var ll: String { String(format: "@%.6f,%.6f,%dz", latitude, longitude, zoom) }
}

/// What identifies the tracked business in results: its place id or its cid.
struct MapsTarget: Sendable, Equatable {
    let name: String
    let placeID: String?
    let cid: String?
    let latitude: Double
    let longitude: Double

    func matches(_ place: MapsPlace) -> Bool {
        (cid != nil && place.cid == cid) || (placeID != nil && place.placeID == placeID)
    }
}

/// One result row.
struct MapsPlace: Sendable, Equatable {
    let position: Int
    let title: String
    let cid: String?
    let placeID: String?
    let rating: Double?
    let reviews: Int?

    /// As a scan point keeps it.
    var json: JSONValue {
        var object: [String: JSONValue] = ["position": .number(Double(position)), "title": .string(title)]
        if let cid { object["cid"] = .string(cid) }
        if let placeID { object["place_id"] = .string(placeID) }
        if let rating { object["rating"] = .number(rating) }
        if let reviews { object["reviews"] = .number(Double(reviews)) }
        return .object(object)
    }

    init(position: Int, title: String, cid: String?, placeID: String?, rating: Double?, reviews: Int?) {
        self.position = position
        self.title = title
        self.cid = cid
        self.placeID = placeID
        self.rating = rating
        self.reviews = reviews
    }

    init?(_ json: JSONValue) {
        guard let position = json["position"]?.numberValue, let title = json["title"]?.stringValue else { return nil }
        self.init(position: Int(position), title: title, cid: json["cid"]?.stringValue, placeID: json["place_id"]?.stringValue,
                  rating: json["rating"]?.numberValue, reviews: json["reviews"]?.numberValue.map { Int($0) })
    }
}

/// Why a search gave no answer: `refused` (the key: retrying cannot help, the scan stops) or `failed`.
enum MapsSearchError: Error, CustomStringConvertible {
    case refused(String)
    case failed(String)

    var description: String {
        switch self {
        case .refused(let why), .failed(let why): why
        }
    }
}

/// A maps search service: Serper's `/maps`, or the simulated one (the offline default).
protocol MapsSearchProvider: Sendable {
    var name: String { get }
    /// One page of results, in rank order.
    func search(_ query: MapsQuery) async throws -> [MapsPlace]
}
