/// A clip's alpha at each of its frames: its opacity (keyframes and all) times its fades, and none where an
/// animated scale has shrunk it to nothing. No ffmpeg filter multiplies alpha by an expression of time, so
/// the values are worked out here, sampled at the frames' times, and a sendcmd script hands them to a `lut`
/// — one command where the value changes, none at all when it never does.
struct AlphaSchedule: Equatable {
    /// The value at the clip's first frame.
    let initial: Double
    /// Later frames at which the value changes, with the new value.
    let changes: [Change]

    struct Change: Equatable {
        let frame: Int
        let value: Double
    }

    init(_ clip: VideoClip, span: ClipSpan) {
        var values: [(Int, Double)] = []
        for frame in span.frames {
            let time = span.localTime(frame: frame)
            var value = min(max(clip.opacity.value(at: time), 0), 1)
            if clip.fadeIn > 0 { value *= min(max(time / clip.fadeIn, 0), 1) }
            if clip.fadeOut > 0 { value *= min(max((span.length - time) / clip.fadeOut, 0), 1) }
            // A 1-pixel remnant is all the scale filter can make of zero; it is hidden instead.
            if !clip.scale.isConstant, clip.scale.value(at: time) < 0.01 { value = 0 }
            // Thousandths: finer than 8-bit alpha, coarse enough that a slow fade sends fewer commands.
            value = (value * 1000).rounded() / 1000
            if values.last?.1 != value { values.append((frame, value)) }
        }
        initial = values.first?.1 ?? min(max(clip.opacity.value(at: 0), 0), 1)
        changes = values.dropFirst().map { Change(frame: $0.0, value: $0.1) }
    }

    var isConstant: Bool { changes.isEmpty }

    /// The `lut` that applies `value` to a yuva420p picture's alpha (Y, U and V as they are).
    static func lut(name: String?, value: Double) -> String {
        "lut\(name.map { "@" + $0 } ?? "")=c0=val:c1=val:c2=val:c3=val*\(FilterSyntax.number(value))"
    }

    /// The sendcmd script for the `lut` named `target`: each change sent half a frame before its frame's
    /// time, so it is in force when that frame passes.
    func script(target: String, fps: Int) -> String {
        changes.map { change in
            "\(FilterSyntax.number((Double(change.frame) - 0.5) / Double(fps))) [enter] lut@\(target) c3 val*\(FilterSyntax.number(change.value));"
        }.joined(separator: "\n") + "\n"
    }
}
