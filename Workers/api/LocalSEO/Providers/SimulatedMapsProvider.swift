import Foundation
import OzziRuntime

/// The offline default: a made-up but stable world around each tracked business. At each point twenty
/// places answer, in an order fixed by the keyword and the point (a hash), and the business ranks by its
/// distance from the point — first near it, lower further out, absent beyond about 20 km — with a little
/// jitter per keyword and point, so grids look like real ones and a scan gives the same answer twice.
struct SimulatedMapsProvider: MapsSearchProvider {
    let name = "simulated"
    static let perPage = 20

    func search(_ query: MapsQuery) async throws -> [MapsPlace] {
        guard query.page == 1 else { return [] }
        let seed = Crypto.sha256(Array("\(query.keyword.lowercased())|\(query.ll)".utf8))
        let distance = Self.kilometres(query.latitude, query.longitude, query.target.latitude, query.target.longitude)
        let jitter = Int(seed[0] % 3) - 1
        let rank = 1 + Int(distance) + jitter
        var places = (0..<Self.perPage).map { index -> MapsPlace in
            let n = Int(seed[(index + 1) % seed.count]) + index * 7
            return MapsPlace(position: 0, title: "\(query.keyword.capitalized) \(["Co", "House", "Place", "Studio", "Works"][n % 5]) \(n % 97 + 1)",
                             cid: String(1_000_000_000_000 + UInt64(n % 97 + 1) * 7919), placeID: nil,
                             rating: Double(30 + n % 21) / 10, reviews: 5 + n * 3 % 400)
        }
        if (1...Self.perPage).contains(rank) {
            places.insert(MapsPlace(position: 0, title: query.target.name, cid: query.target.cid, placeID: query.target.placeID, rating: 4.5, reviews: 120),
                          at: rank - 1)
        }
        return places.prefix(Self.perPage).enumerated().map { index, place in
            MapsPlace(position: index + 1, title: place.title, cid: place.cid, placeID: place.placeID, rating: place.rating, reviews: place.reviews)
        }
    }

    static func kilometres(_ lat1: Double, _ lng1: Double, _ lat2: Double, _ lng2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians, dLng = (lng2 - lng1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * ScanGrid.earthRadiusKm * asin(min(1, sqrt(a)))
    }
}
