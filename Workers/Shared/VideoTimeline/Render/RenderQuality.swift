/// How hard the H.264 encoder works: the trade of speed against bytes (and, at `draft`, some picture).
/// `standard` is what a render gets unless it asks: x264 `veryfast` at CRF 20 with `superfast`'s motion
/// search (`me=dia:subme=1`). That keeps what makes `veryfast` worth its bytes, the frame look-ahead and
/// macroblock tree, and drops what costs most for least: on the benchmark's 30 s 1080x1920 project it takes
/// 22% less CPU than plain `veryfast` for the same size (19.6 against 19.4 MB) and the same picture (SSIM
/// against a lossless encode 0.99540 against 0.99534); plain `superfast` at equal size loses half a dB.
/// `draft` (`ultrafast`, CRF 23: no CABAC, no deblocking, no B-frames) is for a look at the cut: about twice
/// as fast, 1.75x the bytes. `high` (`medium`, CRF 18) is for the final upload: about half as fast, 1.3x the
/// bytes, a finer picture. Figures in bench/RESULTS.md.
public enum RenderQuality: String, Sendable, CaseIterable {
    case draft, standard, high

    var preset: String {
        switch self {
        case .draft: "ultrafast"
        case .standard: "veryfast"
        case .high: "medium"
        }
    }

    /// x264 options beyond the preset's.
    var x264Parameters: String? {
        switch self {
        case .standard: "me=dia:subme=1"
        case .draft, .high: nil
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
