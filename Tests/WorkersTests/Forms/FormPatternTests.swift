import Testing
@testable import APIWorker

/// What a form's pattern may be: what ECMAScript's unicode mode and the server read alike, and nothing a
/// backtracking engine can spend exponential time on.
@Suite struct FormPatternTests {
    @Test(arguments: [#"^[A-Z]{2}[0-9]{4,6}$"#, #"^\S+@\S+$"#, #"^[a-z0-9_]+$"#, #"^(?:[A-Z]{2})?[0-9]+$"#, #"^[0-9]{3}-[0-9]{3}-[0-9]{4}$"#,
                      #"^[\-+]?[0-9]+(?:\.[0-9]{1,2})?$"#, #"^\u00e9t\u{e9}$"#, #"^(?:ab|cd)[0-9]$"#, "^[a-z]+ [a-z]+$"])
    func accepted(_ pattern: String) {
        #expect(FormPattern.refusal(pattern) == nil, "\(pattern): \(FormPattern.refusal(pattern) ?? "")")
        #expect(FormPattern(pattern) != nil)
    }

    @Test(arguments: [#"^(a+)+$"#, #"(a|ab)*"#, #"((a|b))*c"#, #"(?:a*b?)*"#, "(?i)abc", "(?=x)y", #"\p{L}"#, "[[:digit:]]", "a{,3}",
                      #"\d*\d*\d*x"#, "a++", #"(a)\1"#, #"^[A-Z]{2}\-[0-9]+$"#, "(unclosed", "a)", "[abc", "*a", "a{2}{3}", #"\"#,
                      String(repeating: "a", count: 201)])
    func refused(_ pattern: String) {
        #expect(FormPattern.refusal(pattern) != nil, "\(pattern) should be refused")
    }

    @Test func classesAreASCIIAsTheBrowsersAre() throws {
        let digits = try #require(FormPattern(#"^\d{3}$"#))
        #expect(digits.matches("123") && !digits.matches("١٢٣"))
        let word = try #require(FormPattern(#"^\w+$"#))
        #expect(word.matches("cafe") && !word.matches("café"))
    }
}
