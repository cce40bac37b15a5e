/// A picture fitted into a `width` x `height` box. Contained, it is scaled to fit inside (keeping its shape;
/// the box's rest stays transparent). Covered, the middle of the source with the box's shape is cut out
/// first and only that is scaled: scaling the whole source up and cropping after scales pixels that are
/// thrown away (a 1920x1080 clip covering 1080x1920 would be scaled to 3413x1920 and lose two thirds).
enum FitFilters {
    static func filters(_ fit: VideoClip.Fit, width: Int, height: Int) -> [String] {
        switch fit {
        case .contain:
            ["scale=\(width):\(height):force_original_aspect_ratio=decrease"]
        case .cover:
            ["crop='min(iw,ih*\(width)/\(height))':'min(ih,iw*\(height)/\(width))'", "scale=\(width):\(height)"]
        }
    }
}
