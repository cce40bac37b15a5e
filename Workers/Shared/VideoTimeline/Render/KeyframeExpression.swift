/// An animated property as an ffmpeg expression, so a filter evaluates it per frame with no per-frame
/// script: the same values `Animated.value(at:)` gives.
enum KeyframeExpression {
    /// The value at `time` (an expression giving seconds from the clip's start; stored in variable 9).
    /// Constant properties are plain numbers. Otherwise the spans between keyframes are chosen by a
    /// balanced tree of `if(lt(...))`: ffmpeg refuses expressions nested 100 deep, which a chain over
    /// 500 keyframes would be, and a tree also tests only log2(n) times a frame.
    static func make(_ animated: Animated, time: String) -> String {
        let keyframes = animated.keyframes
        guard !animated.isConstant else { return FilterSyntax.number(animated.value(at: 0)) }
        // Pieces: before the first keyframe, each span between two, after the last.
        func piece(_ index: Int) -> String {
            if index == 0 { return FilterSyntax.number(keyframes[0].value) }
            if index == keyframes.count { return FilterSyntax.number(keyframes[index - 1].value) }
            return span(from: keyframes[index - 1], to: keyframes[index])
        }
        func tree(_ low: Int, _ high: Int) -> String {
            if high - low == 1 { return piece(low) }
            let middle = (low + high) / 2
            return "if(lt(ld(9),\(FilterSyntax.number(keyframes[middle - 1].time))),\(tree(low, middle)),\(tree(middle, high)))"
        }
        return "st(9,\(time));" + tree(0, keyframes.count + 1)
    }

    /// From one keyframe to the next by the first's easing, with `ld(9)` between their times.
    private static func span(from: Keyframe, to: Keyframe) -> String {
        let elapsed = from.time == 0 ? "ld(9)" : "(ld(9)-\(FilterSyntax.number(from.time)))"
        let progress = "\(elapsed)/\(FilterSyntax.number(to.time - from.time))"
        let base = FilterSyntax.number(from.value), change = FilterSyntax.operand(to.value - from.value)
        switch from.easing {
        case .linear:
            return "\(base)+\(change)*\(progress)"
        case .cubicBezier(let x1, let y1, let x2, let y2):
            // The Bézier's parameter whose x is the progress, by bisection (x rises with the parameter as
            // x1 and x2 lie in 0...1): 20 halvings, within 1e-6 of what Easing.solve finds. Variables: 0 the
            // progress, 1 and 2 the bracket, 3 the parameter.
            let s = "ld(3)"
            return "st(0,\(progress));st(1,0);st(2,1);"
                + "while(gt(ld(2)-ld(1),0.000001),st(3,(ld(1)+ld(2))/2);"
                + "if(lt(\(bezier(s, x1, x2)),ld(0)),st(1,\(s)),st(2,\(s))));"
                + "st(3,(ld(1)+ld(2))/2);\(base)+\(change)*(\(bezier(s, y1, y2)))"
        }
    }

    /// `Easing.bezier` as an expression of the parameter `s`.
    private static func bezier(_ s: String, _ a: Double, _ b: Double) -> String {
        "3*(1-\(s))*(1-\(s))*\(s)*\(FilterSyntax.operand(a))+3*(1-\(s))*\(s)*\(s)*\(FilterSyntax.operand(b))+\(s)*\(s)*\(s)"
    }
}
