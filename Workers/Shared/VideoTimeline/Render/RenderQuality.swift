/// How hard the H.264 encoder works: the trade of speed against bytes (and, at `draft`, some picture).
/// `standard` is what a render gets unless it asks: x264 `veryfast` at CRF 20, about 1.2x real time for a
/// 1080x1920 project on two cores. `draft` (`ultrafast`, CRF 23: no CABAC, no deblocking, no B-frames) is
/// for a look at the cut, about 1.6x faster and 2x the bytes; `high` (`medium`, CRF 18) for the final
/// upload, about 2x slower and a third fewer bytes than `standard` at the same look (bench/RESULTS.md).
public enum RenderQuality: String, Sendable, CaseIterable {
    case draft, standard, high

    var preset: String {
        switch self {
        case .draft: "ultrafast"
        case .standard: "veryfast"
        case .high: "medium"
        }
    }

    var crf: Int {
        switch self {
        case .draft: 23
        case .standard: 20
        case .high: 18
        }
    }
}
