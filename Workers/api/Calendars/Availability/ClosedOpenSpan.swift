/// A span of time `[start, end)` in UTC seconds: busy time, working time, a free slot.
struct ClosedOpenSpan: Sendable, Equatable, Comparable {
    var start: Int64
    var end: Int64

    var length: Int64 { end - start }

    func clamped(from: Int64, to: Int64) -> ClosedOpenSpan? {
        let cut = ClosedOpenSpan(start: max(start, from), end: min(end, to))
        return cut.start < cut.end ? cut : nil
    }

    static func < (a: ClosedOpenSpan, b: ClosedOpenSpan) -> Bool {
        (a.start, a.end) < (b.start, b.end)
    }

    /// Spans sorted and joined where they overlap or touch.
    static func merged(_ spans: [ClosedOpenSpan]) -> [ClosedOpenSpan] {
        var merged: [ClosedOpenSpan] = []
        for span in spans.sorted() where span.start < span.end {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// What of `spans` (merged) is left once `busy` (merged) is taken out.
    static func subtracting(_ busy: [ClosedOpenSpan], from spans: [ClosedOpenSpan]) -> [ClosedOpenSpan] {
        var left: [ClosedOpenSpan] = []
        var b = 0
        for span in spans {
            var start = span.start
            while b < busy.count, busy[b].end <= start { b += 1 }
            var k = b
            while k < busy.count, busy[k].start < span.end {
                if busy[k].start > start { left.append(ClosedOpenSpan(start: start, end: busy[k].start)) }
                start = max(start, busy[k].end)
                k += 1
            }
            if start < span.end { left.append(ClosedOpenSpan(start: start, end: span.end)) }
        }
        return left
    }

    /// Where both lists (each merged) overlap.
    static func intersecting(_ a: [ClosedOpenSpan], _ b: [ClosedOpenSpan]) -> [ClosedOpenSpan] {
        var both: [ClosedOpenSpan] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let start = max(a[i].start, b[j].start), end = min(a[i].end, b[j].end)
            if start < end { both.append(ClosedOpenSpan(start: start, end: end)) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return both
    }
}
