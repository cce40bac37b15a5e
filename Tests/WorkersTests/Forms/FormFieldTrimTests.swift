import Testing
@testable import APIWorker

/// An answer loses the blanks the page's script trims (`[\s\u001C-\u001F\u0085\uFEFF]`) and nothing else.
@Suite struct FormFieldTrimTests {
    @Test(arguments: [("Ada", "Ada"), ("  Ada \t\n", "Ada"), ("\u{FEFF}\u{85}Ada Lovelace\u{1F}", "Ada Lovelace"), ("\u{3000}Ada\u{A0}", "Ada"),
                      ("", ""), (" \t ", ""), ("é", "é"), (" e\u{301} ", "e\u{301}"), ("x\u{301}", "x\u{301}")])
    func trims(_ given: String, _ expected: String) {
        #expect(FormField.trimmed(given) == expected)
    }

    @Test func aCombiningMarkAfterASpaceStays() {
        // As Unicode scalars: the space goes, the mark it carried stays (a Character-wise trim would keep both).
        #expect(FormField.trimmed(" \u{301}x").unicodeScalars.first == "\u{301}")
    }
}
