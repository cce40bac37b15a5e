import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// An N x N grid of search points centred on a business, neighbours `spacing` apart (km or miles). Row 0 is
/// the northernmost, column 0 the westernmost; the centre point is the business itself. Offsets are laid
/// on a sphere of the Earth's mean radius (at a few km, the error against the ellipsoid is metres).
struct ScanGrid: Sendable, Equatable {
    let size: Int
    let spacing: Double
    let unit: String
    let zoom: Int

    static let sizes = 3...21
    static let zooms = 1...21
    static let kmPerMile = 1.609344
    static let earthRadiusKm = 6371.0088

    struct Point: Sendable, Equatable {
        let row: Int
        let col: Int
        let latitude: Double
        let longitude: Double
    }

    var spacingKm: Double { unit == "mi" ? spacing * Self.kmPerMile : spacing }

    func points(latitude: Double, longitude: Double) -> [Point] {
        let half = Double(size - 1) / 2
        let degreesPerKm = 180 / (Double.pi * Self.earthRadiusKm)
        let lngScale = max(cos(latitude * Double.pi / 180), 1e-6)
        var points: [Point] = []
        for row in 0..<size {
            for col in 0..<size {
                let north = (half - Double(row)) * spacingKm, east = (Double(col) - half) * spacingKm
                var lng = longitude + east * degreesPerKm / lngScale
                if lng > 180 { lng -= 360 } else if lng < -180 { lng += 360 }
                points.append(Point(row: row, col: col, latitude: Self.rounded(min(90, max(-90, latitude + north * degreesPerKm))),
                                    longitude: Self.rounded(lng)))
            }
        }
        return points
    }

    /// Six decimals (about 0.1 m), as the provider is asked.
    static func rounded(_ degrees: Double) -> Double { (degrees * 1_000_000).rounded() / 1_000_000 }
}
