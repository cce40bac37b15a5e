import Foundation
import OzziTestSupport
import Testing
@testable import APIWorker

/// Event RRULEs: expansion compared with python-dateutil's `rrule` (the reference most calendar software
/// agrees with) over varied rules, and unit tests for what dateutil does differently or does not check:
/// refusals, a DTSTART the rule does not pick, the canonical text, and rules that never match again.
@Suite struct EventRecurrenceTests {
    /// Local seconds of a wall-clock `YYYY-MM-DDTHH:MM`.
    static func local(_ text: String) -> Int64 {
        let parts = text.split(separator: "T")
        let day = CivilDate.day(String(parts[0])) ?? 0
        let clock = parts.count > 1 ? parts[1].split(separator: ":").compactMap { Int64($0) } : [0, 0]
        return Int64(day) * 86_400 + clock[0] * 3600 + clock[1] * 60
    }

    /// The wall-clock text of local seconds, so that a failure shows dates.
    static func show(_ seconds: Int64) -> String {
        let day = seconds.floorDivided(by: 86_400)
        let inDay = seconds - day * 86_400
        let minutes = inDay / 60
        return CivilDate.text(Int(day)) + "T" + (minutes / 60 < 10 ? "0" : "") + "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
    }

    /// Local seconds to UTC seconds in an IANA zone, the earlier of two in the autumn overlap (as Python's fold=0).
    static func instant(in zone: String?) -> (Int64) -> Int64 {
        guard let zone, let timeZone = TimeZone(identifier: zone) else { return { $0 } }
        return { local in
            let guess = local - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
            return local - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess))))
        }
    }

    static func rule(_ text: String) throws -> EventRecurrence { try EventRecurrence(parsing: text) }

    static func expand(_ text: String, start: String, from: String? = nil, to: String = "2030-01-01T00:00", limit: Int = 100,
                       zone: String? = nil) throws -> [String] {
        let begin = local(start)
        return try rule(text).occurrences(start: begin, from: from.map(local) ?? begin, to: local(to), limit: limit,
                                          instant: instant(in: zone)).map(show)
    }

    struct ReferenceCase: Sendable {
        let rule: String
        let start: String
        var zone: String? = nil
        var from: String? = nil
        var to: String? = nil
        var limit = 120

        var startSeconds: Int64 { EventRecurrenceTests.local(start) }
        var fromSeconds: Int64 { from.map(EventRecurrenceTests.local) ?? startSeconds }
        /// Three years after the window's start unless given.
        var toSeconds: Int64 { to.map(EventRecurrenceTests.local) ?? fromSeconds + 3 * 365 * 86_400 }
        var json: [String: Any] {
            ["rule": rule, "start": startSeconds, "zone": zone ?? NSNull(), "from": fromSeconds, "to": toSeconds, "limit": limit]
        }
    }

    /// DTSTARTs the rules pick (dateutil leaves out one that the rule does not; RFC 5545 keeps it, tested below).
    static let referenceCases: [ReferenceCase] = [
        // DAILY
        ReferenceCase(rule: "FREQ=DAILY;COUNT=10", start: "2026-01-01T09:00"),
        ReferenceCase(rule: "FREQ=DAILY;INTERVAL=3", start: "2026-01-01T09:00", from: "2027-06-01T00:00", to: "2027-09-01T00:00"),
        ReferenceCase(rule: "FREQ=DAILY;BYDAY=MO,WE,FR", start: "2026-01-02T18:30", limit: 40),
        ReferenceCase(rule: "FREQ=DAILY;BYMONTH=1,7;BYMONTHDAY=1,15,-1", start: "2026-01-01T08:00"),
        ReferenceCase(rule: "FREQ=DAILY;UNTIL=20260110T090000", start: "2026-01-01T09:00"),
        ReferenceCase(rule: "FREQ=DAILY;INTERVAL=2;UNTIL=20260315T130000Z", start: "2026-03-01T09:00", zone: "America/New_York"),
        ReferenceCase(rule: "FREQ=DAILY;COUNT=400", start: "2026-01-01T07:00", from: "2026-12-20T00:00"),
        // WEEKLY
        ReferenceCase(rule: "FREQ=WEEKLY", start: "2026-01-07T10:00", limit: 30),
        ReferenceCase(rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270101T000000Z", start: "2026-01-05T09:00", zone: "Europe/Berlin"),
        ReferenceCase(rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,SU;WKST=SU", start: "1997-08-05T09:00"),
        ReferenceCase(rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,SU;WKST=MO", start: "1997-08-05T09:00"),
        ReferenceCase(rule: "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SA;WKST=SU", start: "2026-02-02T12:00", limit: 30),
        ReferenceCase(rule: "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SA;WKST=TH", start: "2026-02-02T12:00", limit: 30),
        ReferenceCase(rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", start: "2026-01-02T17:00", limit: 20),
        ReferenceCase(rule: "FREQ=WEEKLY;BYMONTH=12;BYDAY=SA,SU", start: "2026-12-05T11:00"),
        ReferenceCase(rule: "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261101", start: "2026-01-04T00:00"),
        ReferenceCase(rule: "rrule:freq=weekly;byday=tu,th;count=12", start: "2026-03-03T09:00"),
        // MONTHLY
        ReferenceCase(rule: "FREQ=MONTHLY", start: "2026-01-15T09:00", limit: 30),
        ReferenceCase(rule: "FREQ=MONTHLY;BYMONTHDAY=31", start: "2026-01-31T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY", start: "2026-01-30T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYMONTHDAY=-1", start: "2026-01-31T20:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYMONTHDAY=1,-3", start: "2026-01-01T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYMONTHDAY=-31,-29", start: "2026-01-01T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=1MO", start: "2026-01-05T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=-1FR", start: "2026-01-30T16:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=2TU,4TU", start: "2026-01-13T19:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=-2MO", start: "2026-01-19T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=5FR", start: "2026-01-30T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", start: "2026-01-30T17:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", start: "2026-01-01T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;COUNT=6;BYDAY=TU,WE,TH;BYSETPOS=3", start: "2026-01-07T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=-2", start: "2026-01-25T10:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", start: "2026-02-13T09:00", to: "2040-01-01T00:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", start: "2026-01-10T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1SU", start: "2026-01-25T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", start: "1997-09-10T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=1MO", start: "2026-01-05T09:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=1SA;COUNT=6", start: "2026-01-03T09:00", from: "2026-04-01T00:00"),
        ReferenceCase(rule: "FREQ=MONTHLY;BYDAY=1MO,-1MO;UNTIL=20261231", start: "2026-01-05T00:00"),
        // YEARLY
        ReferenceCase(rule: "FREQ=YEARLY", start: "2026-03-10T09:00", to: "2040-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", start: "2024-02-29T12:00", to: "2210-01-01T00:00", limit: 40),
        ReferenceCase(rule: "FREQ=YEARLY", start: "2096-02-29T12:00", to: "2210-01-01T00:00", limit: 10),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", start: "2026-02-28T09:00", to: "2040-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=1,3,5,7,8,10,12;BYMONTHDAY=31", start: "2026-01-31T09:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", start: "2026-11-26T15:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO", start: "2026-05-25T09:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYDAY=20MO", start: "2026-05-18T09:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYDAY=-1SU", start: "2026-12-27T09:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYDAY=1MO,-1FR;BYMONTHDAY=1,2,3,4,5,6,7,-1,-2,-3,-4,-5,-6,-7", start: "2027-01-04T09:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=1,2,3;BYDAY=TU", start: "2026-01-06T09:00"),
        ReferenceCase(rule: "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYDAY=SU", start: "2026-01-04T09:00", to: "2034-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", start: "2026-06-04T09:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", start: "2026-11-03T07:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", start: "1996-11-05T07:00", to: "2100-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=6,7;COUNT=10", start: "2026-06-15T09:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=12;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", start: "2026-12-31T17:00", to: "2050-01-01T00:00"),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", start: "2016-02-29T09:00", to: "2200-01-01T00:00", limit: 10),
        ReferenceCase(rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=13;BYDAY=FR;UNTIL=20600101T000000Z", start: "2015-02-13T09:00", zone: "America/New_York"),
        ReferenceCase(rule: "FREQ=YEARLY;COUNT=5", start: "2026-07-04T00:00", from: "2028-01-01T00:00", to: "2100-01-01T00:00"),
    ]

    @Test func expandsAsDateutilDoes() async throws {
        let cases = Self.referenceCases
        #expect(cases.count >= 40)
        let input = String(decoding: try JSONSerialization.data(withJSONObject: cases.map(\.json)), as: UTF8.self)
        // One python process for every rule.
        let reply = try await Subprocess.python("rrule_reference.py", [input])
        let results = try #require(reply["results"] as? [[String: Any]])
        try #require(results.count == cases.count)
        for (reference, result) in zip(cases, results) {
            let label = Comment(rawValue: "\(reference.rule) from \(reference.start)")
            #expect(result["error"] == nil, label)
            #expect(result["starts_with_dtstart"] as? Bool == true, "the case's DTSTART must be one the rule picks: \(label)")
            let expected = (result["occurrences"] as? [NSNumber] ?? []).map(\.int64Value)
            let rule = try Self.rule(reference.rule)
            let instant = Self.instant(in: reference.zone)
            let ours = rule.occurrences(start: reference.startSeconds, from: reference.fromSeconds, to: reference.toSeconds,
                                        limit: reference.limit, instant: instant)
            #expect(ours.map(Self.show) == expected.map(Self.show), label)
            #expect(!expected.isEmpty, label)
            let last = rule.lastOccurrence(start: reference.startSeconds, instant: instant)
            #expect(last.map(Self.show) == (result["last"] as? NSNumber).map { Self.show($0.int64Value) }, label)
        }
    }

    // MARK: RFC 5545 where dateutil differs

    /// RFC 5545 3.8.5.3: DTSTART is the first occurrence and counts toward COUNT even when the rule would not
    /// pick it (dateutil drops it and counts only what the rule picks; Google keeps it, as here).
    @Test func aStartTheRuleDoesNotPickIsStillTheFirstOccurrence() throws {
        #expect(try Self.expand("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", start: "2026-01-10T09:00")
            == ["2026-01-10T09:00", "2026-01-15T09:00", "2026-02-15T09:00"])
        #expect(try Self.expand("FREQ=WEEKLY;BYDAY=MO;COUNT=3", start: "2026-01-07T14:00")
            == ["2026-01-07T14:00", "2026-01-12T14:00", "2026-01-19T14:00"])
        let rule = try Self.rule("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3")
        #expect(rule.lastOccurrence(start: Self.local("2026-01-10T09:00"), instant: { $0 }) == Self.local("2026-02-15T09:00"))
        // Even one past UNTIL: the event itself exists.
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20251231", start: "2026-01-10T09:00") == ["2026-01-10T09:00"])
        // With BYSETPOS the set is the whole period, days before DTSTART included (dateutil starts a WEEKLY
        // rule's first week at DTSTART): the 2nd of Mon/Wed/Fri in DTSTART's week is that Wednesday, before it.
        #expect(try Self.expand("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=2;COUNT=3", start: "2026-01-09T09:00")
            == ["2026-01-09T09:00", "2026-01-14T09:00", "2026-01-21T09:00"])
    }

    /// COUNT counts from DTSTART, also the occurrences before the window.
    @Test func countCountsOccurrencesBeforeTheWindow() throws {
        #expect(try Self.expand("FREQ=DAILY;COUNT=5", start: "2026-01-01T09:00", from: "2026-01-03T00:00")
            == ["2026-01-03T09:00", "2026-01-04T09:00", "2026-01-05T09:00"])
        #expect(try Self.expand("FREQ=DAILY;COUNT=5", start: "2026-01-01T09:00", from: "2026-01-06T00:00") == [])
        // Without COUNT the expansion starts at the window: still the same days.
        #expect(try Self.expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start: "2026-01-06T09:00", from: "2029-12-01T00:00", to: "2030-01-01T00:00")
            == ["2029-12-04T09:00", "2029-12-18T09:00"])
    }

    @Test func windowAndLimit() throws {
        let start = Self.local("2026-01-01T09:00")
        let rule = try Self.rule("FREQ=DAILY")
        #expect(rule.occurrences(start: start, from: start, to: start + 10 * 86_400, limit: 3, instant: { $0 }).count == 3)
        #expect(rule.occurrences(start: start, from: start, to: start, limit: 3, instant: { $0 }) == [])
        #expect(rule.occurrences(start: start, from: start, to: start + 86_400, limit: 0, instant: { $0 }) == [])
        // `to` is exclusive, `from` inclusive, both in local seconds.
        #expect(rule.occurrences(start: start, from: start + 86_400, to: start + 3 * 86_400, limit: 9, instant: { $0 })
            == [start + 86_400, start + 2 * 86_400])
    }

    /// UNTIL is inclusive; a UTC one is compared as an instant in the event's zone, a local one as wall-clock time.
    @Test func untilForms() throws {
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260103T090000", start: "2026-01-01T09:00").count == 3)
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260103T085959", start: "2026-01-01T09:00").count == 2)
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260103", start: "2026-01-01T00:00").count == 3)
        // 09:00 in New York is 14:00Z in winter and 13:00Z in summer.
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260103T140000Z", start: "2026-01-01T09:00", zone: "America/New_York").count == 3)
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260103T135959Z", start: "2026-01-01T09:00", zone: "America/New_York").count == 2)
        #expect(try Self.expand("FREQ=DAILY;UNTIL=20260703T130000Z", start: "2026-07-01T09:00", zone: "America/New_York").count == 3)
        let utc = try Self.rule("FREQ=DAILY;UNTIL=20270101T090000Z")
        #expect(utc.until == .utc(Self.local("2027-01-01T09:00")) && utc.isFinite && utc.count == nil)
        #expect(try Self.rule("FREQ=DAILY;UNTIL=20270101T090000").until == .local(Self.local("2027-01-01T09:00")))
        #expect(try Self.rule("FREQ=DAILY;UNTIL=20270101").until == .local(Self.local("2027-01-01T00:00")))
        #expect(try Self.rule("FREQ=DAILY;COUNT=4").count == 4)
        #expect(try !Self.rule("FREQ=DAILY").isFinite)
    }

    @Test func lastOccurrence() throws {
        let start = Self.local("2026-01-05T09:00")
        #expect(try Self.rule("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4").lastOccurrence(start: start, instant: { $0 }) == Self.local("2026-01-15T09:00"))
        #expect(try Self.rule("FREQ=MONTHLY;BYDAY=1MO;UNTIL=20260701").lastOccurrence(start: start, instant: { $0 }) == Self.local("2026-06-01T09:00"))
        let berlin = Self.instant(in: "Europe/Berlin")
        // 09:00 in Berlin is 07:00Z in summer: UNTIL at 07:00Z includes that day, at 06:59:59Z it does not.
        #expect(try Self.rule("FREQ=DAILY;UNTIL=20260610T070000Z").lastOccurrence(start: start, instant: berlin) == Self.local("2026-06-10T09:00"))
        #expect(try Self.rule("FREQ=DAILY;UNTIL=20260610T065959Z").lastOccurrence(start: start, instant: berlin) == Self.local("2026-06-09T09:00"))
        #expect(try Self.rule("FREQ=DAILY").lastOccurrence(start: start, instant: { $0 }) == nil)
        #expect(try Self.rule("FREQ=DAILY;COUNT=1").lastOccurrence(start: start, instant: { $0 }) == start)
        #expect(try Self.rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3").lastOccurrence(start: start, instant: { $0 }) == start)
    }

    /// `lastOccurrence` looks near UNTIL (or the COUNT-th period) first, and a rule whose periods all hold as
    /// many occurrences counts the periods before a window instead of walking them: both must agree with a
    /// walk from DTSTART.
    @Test(arguments: [
        "FREQ=DAILY;COUNT=1000", "FREQ=WEEKLY;INTERVAL=3;COUNT=77", "FREQ=MONTHLY;COUNT=40", "FREQ=YEARLY;COUNT=12",
        "FREQ=WEEKLY;BYDAY=MO,TH,SA;COUNT=100", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,WE;WKST=SU;COUNT=101", "FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=25",
        "FREQ=YEARLY;BYMONTHDAY=10;COUNT=30", "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=5,20;COUNT=19",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=30", "FREQ=DAILY;UNTIL=20400101", "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20330616T130000Z",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=21000101", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;UNTIL=21030101T000000Z",
        "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20300401T000000",
    ])
    func lastOccurrenceAgreesWithTheWholeSeries(text: String) throws {
        let rule = try Self.rule(text)
        let zone = Self.instant(in: "America/New_York")
        for start in ["2026-01-12T09:00", "2028-02-29T00:00", "2026-03-31T23:30"].map(Self.local) {
            let all = rule.occurrences(start: start, from: .min, to: .max, limit: .max, instant: zone)
            let label = Comment(rawValue: "\(text) from \(Self.show(start))")
            #expect(rule.lastOccurrence(start: start, instant: zone) == all.last, label)
            for from in [all.count / 3, all.count / 2].map({ all[$0] - 3600 }) {
                #expect(rule.occurrences(start: start, from: from, to: .max, limit: .max, instant: zone) == all.filter { $0 >= from }, label)
            }
        }
    }

    // MARK: Text

    @Test(arguments: [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270101T000000Z", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270101T000000Z"),
        ("RRULE:until=20270101T000000Z;byday=we,mo,we;interval=2;freq=weekly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270101T000000Z"),
        ("FREQ=DAILY;INTERVAL=1;WKST=MO", "FREQ=DAILY"),
        (" rrule:FREQ=DAILY;COUNT=3; ", "FREQ=DAILY;COUNT=3"),
        ("FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU,TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU"),
        ("FREQ=MONTHLY;BYSETPOS=-1,1;BYDAY=FR,MO,TH,TU,WE", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1,1"),
        ("FREQ=MONTHLY;BYDAY=-1FR,+2TU,1MO", "FREQ=MONTHLY;BYDAY=1MO,2TU,-1FR"),
        ("FREQ=YEARLY;BYMONTHDAY=-1,15;BYMONTH=12,2;UNTIL=20300101", "FREQ=YEARLY;BYMONTH=2,12;BYMONTHDAY=-1,15;UNTIL=20300101"),
        ("FREQ=YEARLY;UNTIL=20300101T093000", "FREQ=YEARLY;UNTIL=20300101T093000"),
        ("FREQ=YEARLY;UNTIL=20300101T000000", "FREQ=YEARLY;UNTIL=20300101T000000"),
    ])
    func canonicalText(written: String, canonical: String) throws {
        let rule = try Self.rule(written)
        #expect(rule.text == canonical)
        let again = try Self.rule(rule.text)
        #expect(again == rule && again.text == canonical)
    }

    // MARK: Refusals

    @Test(arguments: [
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY 'XX' is not a weekday (MO..SU, optionally with an ordinal like 2TU or -1FR)"),
        ("FREQ=MONTHLY;BYDAY=+MO", "BYDAY '+MO' is not a weekday"),
        ("FREQ=MONTHLY;BYDAY=0MO", "BYDAY '0MO': the ordinal must be 1 to 53 or -53 to -1"),
        ("FREQ=YEARLY;BYDAY=54MO", "BYDAY '54MO': the ordinal must be"),
        ("FREQ=WEEKLY;BYDAY=MO,,TU", "BYDAY 'MO,,TU' has an empty item"),
        ("FREQ=WEEKLY;BYDAY=2MO", "BYDAY '2MO' has an ordinal, which only FREQ=MONTHLY and FREQ=YEARLY rules may use"),
        ("FREQ=DAILY;BYDAY=-1FR", "BYDAY '-1FR' has an ordinal"),
        ("FREQ=SECONDLY", "FREQ=SECONDLY is not supported for calendar events"),
        ("FREQ=MINUTELY", "FREQ=MINUTELY is not supported for calendar events"),
        ("FREQ=HOURLY;INTERVAL=2", "FREQ=HOURLY is not supported for calendar events"),
        ("FREQ=FORTNIGHTLY", "FREQ 'FORTNIGHTLY' is not DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=DAILY;BYHOUR=9,17", "BYHOUR is not supported for calendar events"),
        ("FREQ=DAILY;BYMINUTE=30", "BYMINUTE is not supported for calendar events"),
        ("FREQ=DAILY;BYSECOND=0", "BYSECOND is not supported for calendar events"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not supported for calendar events"),
        ("FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY is not supported for calendar events"),
        ("FREQ=DAILY;X-NAME=1", "'X-NAME' is not a supported RRULE part"),
        ("RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD", "'RSCALE' is not a supported RRULE part"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT and UNTIL cannot both be given"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL '0' must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=1001", "INTERVAL '1001' must be a whole number from 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=-2", "INTERVAL '-2' must be"),
        ("FREQ=DAILY;INTERVAL=", "INTERVAL '' must be"),
        ("FREQ=DAILY;COUNT=0", "COUNT '0' must be a whole number from 1 to 10000"),
        ("FREQ=DAILY;COUNT=ten", "COUNT 'ten' must be"),
        ("FREQ=DAILY;COUNT=99999999999999999999999", "COUNT '99999999999999999999999' must be"),
        ("FREQ=WEEKLY;BYDAY=MO,TU;COUNT=10001", "COUNT '10001' must be a whole number from 1 to 10000"),
        ("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given more than once"),
        ("FREQ=WEEKLY;BYDAY=MO;byday=TU", "BYDAY is given more than once"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY '0' must be a day of the month, 1 to 31 or -31 to -1"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY '32' must be"),
        ("FREQ=MONTHLY;BYMONTHDAY=-32", "BYMONTHDAY '-32' must be"),
        ("FREQ=MONTHLY;BYMONTHDAY=1.5", "BYMONTHDAY '1.5' must be"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH '13' must be a month, 1 to 12"),
        ("FREQ=YEARLY;BYMONTH=-1", "BYMONTH '-1' must be a month"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS '0' must be a position"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", "BYSETPOS '367' must be a position"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
        ("FREQ=WEEKLY;WKST=XX", "WKST 'XX' is not a weekday"),
        ("FREQ=DAILY;UNTIL=20270230", "UNTIL '20270230' is not a date (20270101), a local date-time (20270101T090000) or a UTC one (20270101T090000Z)"),
        ("FREQ=DAILY;UNTIL=2027-01-01", "UNTIL '2027-01-01' is not a date"),
        ("FREQ=DAILY;UNTIL=20270101T250000Z", "UNTIL '20270101T250000Z' is not a date"),
        ("FREQ=DAILY;UNTIL=20270101T0900Z", "UNTIL '20270101T0900Z' is not a date"),
        ("FREQ=DAILY;UNTIL=20270101T090000+01", "UNTIL '20270101T090000+01' is not a date"),
        ("BYDAY=MO", "FREQ is missing"),
        ("", "the rule is empty"),
        ("RRULE:", "the rule is empty"),
        ("FREQ", "'FREQ' is not a NAME=VALUE part"),
        ("FREQ=DAILY;;COUNT=2", "the rule has an empty part (';;')"),
        ("=DAILY", "'=DAILY' has no part name"),
    ])
    func refuses(text: String, message: String) {
        let error = #expect(throws: RecurrenceRuleError.self) { try EventRecurrence(parsing: text) }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "no error")")
    }

    @Test func theErrorNamesTheBadPart() {
        #expect(throws: RecurrenceRuleError(description: "BYDAY 'XX' is not a weekday (MO..SU, optionally with an ordinal like 2TU or -1FR)")) {
            try EventRecurrence(parsing: "RRULE:FREQ=WEEKLY;BYDAY=MO,XX")
        }
    }

    // MARK: Bounds

    /// A rule that can never match again, or a window of all time, stops: after a 400-year cycle of empty
    /// periods, at the year 9999, at the limit. (That it returns at all is the test: one that looped would
    /// hold the run.)
    @Test func pathologicalRulesReturnPromptly() throws {
        let start = Self.local("2026-02-01T09:00")
        for text in ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=-30",
                     "FREQ=WEEKLY;INTERVAL=7;BYMONTH=2;BYDAY=SU;BYSETPOS=2", "FREQ=MONTHLY;BYDAY=6MO", "FREQ=YEARLY;BYMONTH=6;BYDAY=53MO"] {
            let rule = try Self.rule(text)
            #expect(rule.occurrences(start: start, from: .min, to: .max, limit: .max, instant: { $0 }) == [start], Comment(rawValue: text))
        }
        // COUNT is never reached: the last occurrence is DTSTART.
        #expect(try Self.rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=10000").lastOccurrence(start: start, instant: { $0 }) == start)
        // All time, capped by the limit; and a series that outlives the year 9999 ends there.
        #expect(try Self.rule("FREQ=DAILY").occurrences(start: start, from: .min, to: .max, limit: 1000, instant: { $0 }).count == 1000)
        #expect(try Self.rule("FREQ=YEARLY;COUNT=10000").lastOccurrence(start: start, instant: { $0 }) == Self.local("9999-02-01T09:00"))
        #expect(try Self.rule("FREQ=DAILY;UNTIL=99991231").lastOccurrence(start: start, instant: { $0 }) == Self.local("9999-12-30T09:00"))
        #expect(try Self.rule("FREQ=YEARLY;INTERVAL=1000;COUNT=10000").lastOccurrence(start: start, instant: { $0 }) == Self.local("9026-02-01T09:00"))
        #expect(try Self.rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=10000").lastOccurrence(start: start, instant: { $0 }) == Self.local("9996-02-29T09:00"))
        // Starts no calendar has: DTSTART only, no trap.
        for odd in [Int64.min, Int64.max, -70_000_000_000_000, 300_000_000_000_000] {
            #expect(try Self.rule("FREQ=DAILY;COUNT=3").occurrences(start: odd, from: .min, to: .max, limit: 5, instant: { $0 }) == (odd < .max ? [odd] : []))
            #expect(try Self.rule("FREQ=DAILY;COUNT=3").lastOccurrence(start: odd, instant: { $0 }) == odd)
        }
    }

    /// A year of a daily rule (and ten of a monthly one) takes microseconds per occurrence.
    /// A year of a daily rule and ten years of a monthly one, a hundred times: every occurrence, once. (Their
    /// speed is bench/calendar.sh's to measure: a test does not time work on a busy machine.)
    @Test func expandingManyPeriodsGivesEachOccurrence() throws {
        let start = Self.local("2026-01-01T09:00")
        let daily = try Self.rule("FREQ=DAILY")
        let monthly = try Self.rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")
        var produced = 0
        for _ in 0..<100 {
            produced += daily.occurrences(start: start, from: start, to: start + 365 * 86_400, limit: 1000, instant: { $0 }).count
            produced += monthly.occurrences(start: start, from: start, to: start + 3650 * 86_400, limit: 1000, instant: { $0 }).count
        }
        #expect(produced == 100 * (365 + 120))
    }
}
