/// How hard the H.264 encoder works: the trade of speed against bytes (and, at `draft`, some picture).
/// `standard` is what a render gets unless it asks: x264 `veryfast` at CRF 20. `draft` (`ultrafast`, CRF 23:
/// no CABAC, no deblocking, no B-frames) is for a look at the cut: about 1.8x as fast, 1.75x the bytes.
/// `high` (`medium`, CRF 18) is for the final upload: about half as fast, 1.3x the bytes, a finer picture
/// (bench/RESULTS.md, a 30 s 1080x1920 project on two cores: 8.5 s, 15.2 s and 30.6 s).
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
