import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// ZoneRules against Python's zoneinfo, which reads the same installed TZif files: offsets every six hours
/// from 1900 to 2100 (and sparser beyond), at each transition and a second either side, and the instants of
/// wall-clock times in and around every gap and overlap. Then the TZ string parser, refused names, and
/// truncated or damaged files.
@Suite struct ZoneRulesTests {
    static let zones = [
        "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Lord_Howe", "Australia/Sydney", "Asia/Kolkata",
        "Pacific/Chatham", "America/Asuncion", "America/Coyhaique", "Africa/Casablanca", "America/Sao_Paulo", "UTC",
        // Changes at -1:00 (Nuuk, since 2023), at 26:00 (Jerusalem), and of two hours (Troll: +00 to +02).
        "America/Nuuk", "Asia/Jerusalem", "Antarctica/Troll",
    ]

    static let hour: Int64 = 3600
    static let day: Int64 = 86_400

    static func utc(_ year: Int64, _ month: Int64 = 1, _ day: Int64 = 1, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Int64 {
        RFC3339.daysFromEpoch(year: year, month: month, day: day) * Self.day + hour * 3600 + minute * 60
    }

    /// The sampled UTC ranges: sparse before 1900 (before most zones' first transition, where time type 0
    /// applies), every 30 hours to 1950, every six hours from 1950 to 2100, sparse again to 2500 (the footer
    /// rule only).
    static let ranges: [(start: Int64, end: Int64, step: Int64)] = [
        (utc(1800), utc(1900), 10 * day + 7 * hour),
        (utc(1900), utc(1950), 30 * hour),
        (utc(1950), utc(2101), 6 * hour),
        (utc(2101), utc(2500), 5 * day + 7 * hour),
    ]

    /// A readable instant for failure messages.
    static func text(_ t: Int64) -> String {
        let days = t >= 0 ? t / day : (t + 1) / day - 1
        let (y, m, d) = RFC3339.civil(daysFromEpoch: days)
        let second = t - days * day
        return "\(t) (\(y)-\(m)-\(d) \(second / 3600):\(second / 60 % 60):\(second % 60)Z)"
    }

    static func list(_ values: [Int64]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }

    /// Runs zone_offsets.py; the answer for each zone has "every", "at", "local" and "local_every" lists.
    static func python(zones: [String], every: [(start: Int64, end: Int64, step: Int64)] = [], at: [Int64] = [],
                       local: [Int64] = [], localEvery: [(start: Int64, end: Int64, step: Int64)] = [])
        async throws -> (tzdata: String?, zones: [String: [String: [Int64]]]) {
        let names = "[" + zones.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        func ranges(_ ranges: [(start: Int64, end: Int64, step: Int64)]) -> String {
            "[" + ranges.map { list([$0.start, $0.end, $0.step]) }.joined(separator: ",") + "]"
        }
        let request = #"{"zones":\#(names),"every":\#(ranges(every)),"at":\#(list(at)),"local":\#(list(local)),"local_every":\#(ranges(localEvery))}"#
        let answer = try await Subprocess.python("zone_offsets.py", [request])
        let byZone = try #require(answer["zones"] as? [String: Any])
        var decoded: [String: [String: [Int64]]] = [:]
        for (zone, lists) in byZone {
            let lists = try #require(lists as? [String: Any])
            decoded[zone] = lists.mapValues { value in
                (value as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.int64Value ?? ($0 as? Int).map(Int64.init) }
            }
        }
        return (answer["tzdata"] as? String, decoded)
    }

    static func installedVersion() -> String? {
        guard let text = try? String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
    }

    // MARK: - Against Python's zoneinfo

    @Test(arguments: zones) func offsetsMatchPythonEverySixHours(_ zone: String) async throws {
        let rules = try #require(ZoneRules.named(zone))
        let reference = try #require(try await Self.python(zones: [zone], every: Self.ranges).zones[zone]?["every"])
        let instants = Self.ranges.flatMap { stride(from: $0.start, to: $0.end, by: Int($0.step)) }
        try #require(reference.count == instants.count)
        var mismatches: [String] = []
        for (t, expected) in zip(instants, reference) where rules.offset(at: t) != Int(expected) {
            mismatches.append("\(Self.text(t)): \(rules.offset(at: t)) != \(expected)")
        }
        #expect(mismatches.isEmpty, "\(zone): \(mismatches.count) mismatches, first \(mismatches.prefix(5))")

        // Every change Python shows between two samples is one of our transitions, and ours are consistent.
        let transitions = rules.transitions(from: instants[0], to: Self.utc(2500))
        var missing: [String] = []
        for i in 1..<instants.count where reference[i] != reference[i - 1] {
            if !transitions.contains(where: { instants[i - 1] < $0.at && $0.at <= instants[i] }) { missing.append(Self.text(instants[i])) }
        }
        #expect(missing.isEmpty, "\(zone): no transition listed before \(missing.prefix(5))")
        for (a, b) in zip(transitions, transitions.dropFirst()) {
            #expect(a.at < b.at && a.offsetAfter == b.offsetBefore, "\(zone): \(a) then \(b)")
        }
        #expect(transitions.allSatisfy { $0.offsetBefore != $0.offsetAfter })
    }

    @Test(arguments: zones) func transitionsMatchPythonToTheSecond(_ zone: String) async throws {
        let rules = try #require(ZoneRules.named(zone))
        // To 2300: past the precomputed changes (2200), the footer rule's own.
        let transitions = rules.transitions(from: Self.utc(1800), to: Self.utc(2300))
        let probes = transitions.flatMap { [$0.at - 1, $0.at, $0.at + 1] }
        let reference = try #require(try await Self.python(zones: [zone], at: probes).zones[zone]?["at"])
        try #require(reference.count == probes.count)
        for (i, transition) in transitions.enumerated() {
            let expected = Array(reference[3 * i..<3 * i + 3])
            let listed = [transition.offsetBefore, transition.offsetAfter, transition.offsetAfter].map(Int64.init)
            let computed = [transition.at - 1, transition.at, transition.at + 1].map { Int64(rules.offset(at: $0)) }
            #expect(listed == expected && computed == expected, "\(zone) at \(Self.text(transition.at)): \(listed) \(computed) != \(expected)")
        }
    }

    @Test(arguments: zones) func wallClockTimesMatchPython(_ zone: String) async throws {
        let rules = try #require(ZoneRules.named(zone))
        var walls: [Int64] = []
        // In and around each gap and overlap: its edges, a second either side, the middle.
        for transition in rules.transitions(from: Self.utc(1800), to: Self.utc(2300)) {
            let (a, b) = (transition.at + Int64(min(transition.offsetBefore, transition.offsetAfter)),
                          transition.at + Int64(max(transition.offsetBefore, transition.offsetAfter)))
            walls += [a - 1, a, a + 1, (a + b) / 2, b - 1, b, b + 1]
        }
        // And ordinary times, at an odd step so they land on every time of day.
        let ordinary = (start: Self.utc(1900), end: Self.utc(2101), step: 25 * Self.hour + 13 * 60 + 7)
        let answer = try #require(try await Self.python(zones: [zone], local: walls, localEvery: [ordinary]).zones[zone])
        walls += stride(from: ordinary.start, to: ordinary.end, by: Int(ordinary.step))
        let reference = (answer["local"] ?? []) + (answer["local_every"] ?? [])
        try #require(reference.count == walls.count)
        var mismatches: [String] = []
        for (wall, expected) in zip(walls, reference) where rules.instant(local: wall) != expected {
            mismatches.append("wall \(Self.text(wall)): \(Self.text(rules.instant(local: wall))) != \(Self.text(expected))")
        }
        #expect(mismatches.isEmpty, "\(zone): \(mismatches.count) of \(walls.count) differ, first \(mismatches.prefix(5))")
        // Outside gaps, local and instant undo each other; within one, instant moves the time forward.
        let movedBack = walls.filter { rules.local(rules.instant(local: $0)) < $0 }
        #expect(movedBack.isEmpty, "\(zone): \(movedBack.prefix(5).map(Self.text))")
    }

    /// Twice a year from 1900 to 2100, in every zone the installed tzdata names (links included): each
    /// file parses and agrees with Python.
    @Test func everyInstalledZoneMatchesPython() async throws {
        let text = try String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8)
        let names = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            if fields.first == "Z", fields.count > 1 { return String(fields[1]) }
            if fields.first == "L", fields.count > 2 { return String(fields[2]) }
            return nil
        }
        #expect(names.count > 500)
        let unreadable = names.filter { ZoneRules.named($0) == nil }
        #expect(unreadable.isEmpty, "\(unreadable)")
        let sampled = names.filter { ZoneRules.named($0) != nil }
        let every: [(start: Int64, end: Int64, step: Int64)] = [(Self.utc(1900, 1, 15, 12), Self.utc(2101), 182 * Self.day + 12 * Self.hour)]
        let reference = try await Self.python(zones: sampled, every: every).zones
        var mismatches: [String] = []
        for name in sampled {
            let rules = try #require(ZoneRules.named(name))
            let expected = try #require(reference[name]?["every"])
            for (t, offset) in zip(stride(from: every[0].start, to: every[0].end, by: Int(every[0].step)), expected)
            where rules.offset(at: t) != Int(offset) {
                mismatches.append("\(name) \(Self.text(t)): \(rules.offset(at: t)) != \(offset)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first \(mismatches.prefix(10))")
    }

    /// PEP 495's fold=0 is what `instant(local:)` promises: in a gap, the offset before the change.
    @Test func pythonReadsGapsAndOverlapsAsZoneRulesDoes() async throws {
        let springForward = Self.utc(2025, 3, 9, 2, 30), fallBack = Self.utc(2025, 11, 2, 1, 30)
        let reference = try #require(try await Self.python(zones: ["America/New_York"], local: [springForward, fallBack])
            .zones["America/New_York"]?["local"])
        // 02:30 does not happen on 9 March: read with EST it is 07:30 UTC, i.e. 03:30 EDT. 01:30 on
        // 2 November happens twice: the first time, in EDT, is 05:30 UTC.
        #expect(reference == [Self.utc(2025, 3, 9, 7, 30), Self.utc(2025, 11, 2, 5, 30)])
        let newYork = try #require(ZoneRules.named("America/New_York"))
        #expect(newYork.instant(local: springForward) == Self.utc(2025, 3, 9, 7, 30))
        #expect(newYork.local(newYork.instant(local: springForward)) == Self.utc(2025, 3, 9, 3, 30))
        #expect(newYork.instant(local: fallBack) == Self.utc(2025, 11, 2, 5, 30))
    }

    // MARK: - What the installed rules say

    /// Paraguay kept -03 all year from October 2024 (tzdata 2024b); Aysén kept -03 from March 2025 (2025b,
    /// which made America/Coyhaique). Under the old rules both would be at -04 in July 2025.
    @Test func recentRuleChangesAreTheInstalledOnes() throws {
        let version = try #require(Self.installedVersion())
        let asuncion = try #require(ZoneRules.named("America/Asuncion"))
        if version >= "2024b" {
            for t in [Self.utc(2025, 4, 15), Self.utc(2025, 7, 1), Self.utc(2030, 7, 1), Self.utc(2060, 1, 1)] {
                #expect(asuncion.offset(at: t) == -3 * 3600, "\(Self.text(t))")
            }
            #expect(asuncion.transitions(from: Self.utc(2024, 10, 7), to: Self.utc(2100)).isEmpty)
        }
        if version >= "2025b" {
            let coyhaique = try #require(ZoneRules.named("America/Coyhaique"))
            let santiago = try #require(ZoneRules.named("America/Santiago"))
            for t in [Self.utc(2025, 7, 1), Self.utc(2030, 7, 1)] {
                #expect(coyhaique.offset(at: t) == -3 * 3600 && santiago.offset(at: t) == -4 * 3600, "\(Self.text(t))")
            }
            #expect(coyhaique.transitions(from: Self.utc(2025, 3, 21), to: Self.utc(2100)).isEmpty)
        }
    }

    @Test func offsetsFarFromTheTableComeFromTheFooterInBothHemispheres() throws {
        let newYork = try #require(ZoneRules.named("America/New_York"))
        let sydney = try #require(ZoneRules.named("Australia/Sydney"))
        let dublin = try #require(ZoneRules.named("Europe/Dublin"))
        let lordHowe = try #require(ZoneRules.named("Australia/Lord_Howe"))
        // 2150 is in the changes worked out when the file is read; 2350 is computed when asked.
        for year: Int64 in [2150, 2350] {
            #expect(newYork.offset(at: Self.utc(year, 7, 1)) == -4 * 3600 && newYork.offset(at: Self.utc(year, 1, 1)) == -5 * 3600)
            #expect(sydney.offset(at: Self.utc(year, 7, 1)) == 10 * 3600 && sydney.offset(at: Self.utc(year, 1, 1)) == 11 * 3600)
            // Irish Standard Time is the summer one; winter's GMT is the "daylight" time, one hour less.
            #expect(dublin.offset(at: Self.utc(year, 7, 1)) == 3600 && dublin.offset(at: Self.utc(year, 1, 1)) == 0)
            #expect(lordHowe.offset(at: Self.utc(year, 1, 1)) == 11 * 3600 && lordHowe.offset(at: Self.utc(year, 7, 1)) == 10 * 3600 + 1800)
        }
        // The US changes of 2150: second Sunday of March (the 8th), first Sunday of November (the 1st), 02:00
        // local; of 2350: the 12th and the 5th.
        #expect(newYork.transitions(from: Self.utc(2150), to: Self.utc(2151)) == [
            ZoneTransition(at: Self.utc(2150, 3, 8, 7), offsetBefore: -5 * 3600, offsetAfter: -4 * 3600),
            ZoneTransition(at: Self.utc(2150, 11, 1, 6), offsetBefore: -4 * 3600, offsetAfter: -5 * 3600),
        ])
        #expect(newYork.transitions(from: Self.utc(2350), to: Self.utc(2351)) == [
            ZoneTransition(at: Self.utc(2350, 3, 12, 7), offsetBefore: -5 * 3600, offsetAfter: -4 * 3600),
            ZoneTransition(at: Self.utc(2350, 11, 5, 6), offsetBefore: -4 * 3600, offsetAfter: -5 * 3600),
        ])
        // Across the precomputed end, nothing is lost or repeated.
        let across = newYork.transitions(from: Self.utc(2199), to: Self.utc(2201))
        #expect(across.count == 4 && zip(across, across.dropFirst()).allSatisfy { $0.at < $1.at && $0.offsetAfter == $1.offsetBefore })
        // Before the first transition (1883 in New York): local mean time, type 0.
        #expect(newYork.offset(at: Self.utc(1800)) == -(4 * 3600 + 56 * 60 + 2))
    }

    @Test func extremeInstantsDoNotTrap() throws {
        for zone in ["America/New_York", "Australia/Sydney", "UTC"] {
            let rules = try #require(ZoneRules.named(zone))
            for t in [Int64.min, Int64.min + 1, -1 << 60, 1 << 60, Int64.max - 1, Int64.max] {
                _ = rules.offset(at: t)
                _ = rules.local(t)
                _ = rules.instant(local: t)
            }
            #expect(rules.local(.max) == .max || rules.offset(at: .max) <= 0)
            // The footer's transitions stop at year 9999, so even the widest range ends.
            #expect(rules.transitions(from: .min, to: .max).count < 20_000)
            #expect(rules.transitions(from: 10, to: 10).isEmpty && rules.transitions(from: 10, to: -10).isEmpty)
        }
    }

    @Test func concurrentReadersGetTheSameRules() async throws {
        let offsets = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<64 { group.addTask { ZoneRules.named("Pacific/Chatham")?.offset(at: Self.utc(2030, 1, 1)) } }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(offsets.count == 64 && offsets.allSatisfy { $0 == 13 * 3600 + 45 * 60 })
    }

    // MARK: - Names

    @Test func namesThatAreNotZonesAreRefused() {
        for name in ["../etc/passwd", "Nowhere/Land", "/etc/passwd", "America/../../etc/passwd", "America//New_York",
                     "America/New_York/", "", "America/New York", "zone.tab", "tzdata.zi", "America/New_York\0",
                     "America/Nеw_York", "America", String(repeating: "A", count: 300)] {
            #expect(ZoneRules.named(name) == nil, "\(name)")
        }
        #expect(ZoneRules.isZoneName("Etc/GMT+5") && ZoneRules.isZoneName("America/Port-au-Prince") && !ZoneRules.isZoneName(".."))
    }

    @Test func utcWorksWithOrWithoutTheInstalledFile() throws {
        for name in ["UTC", "Etc/UTC"] {
            let installed = try #require(ZoneRules.named(name))
            let fallback = try #require(ZoneRules.named(name, directory: "/nonexistent"))
            #expect(installed.identifier == name && fallback.identifier == name)
            for t in [Self.utc(1900), 0, Self.utc(2025, 7, 1), Self.utc(2300)] {
                #expect(installed.offset(at: t) == 0 && fallback.offset(at: t) == 0 && ZoneRules.utc.offset(at: t) == 0)
                #expect(installed.local(t) == t && installed.instant(local: t) == t)
            }
            #expect(installed.transitions(from: .min, to: .max).isEmpty)
        }
        #expect(ZoneRules.named("America/New_York", directory: "/nonexistent") == nil)
    }

    /// The right/ zones count leap seconds in their times: refused rather than read half a minute off.
    @Test func leapSecondZonesAreRefused() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/right/America/New_York") else { return }
        let file = try TZifFile(path: "/usr/share/zoneinfo/right/America/New_York")
        #expect(file.leapSecondCount > 0)
        #expect(ZoneRules.named("right/America/New_York") == nil)
    }

    // MARK: - TZ strings

    @Test func tzStringsParse() throws {
        let newYork = try #require(PosixZoneRule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(newYork == PosixZoneRule(standardName: "EST", standardOffset: -5 * 3600, daylight: .init(
            name: "EDT", offset: -4 * 3600,
            start: .init(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200),
            end: .init(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200))))

        #expect(PosixZoneRule("<-03>3") == PosixZoneRule(standardName: "-03", standardOffset: -3 * 3600, daylight: nil))
        #expect(PosixZoneRule("<+0530>-5:30") == PosixZoneRule(standardName: "+0530", standardOffset: 5 * 3600 + 1800, daylight: nil))
        #expect(PosixZoneRule("IST-5:30")?.standardOffset == 5 * 3600 + 1800)
        #expect(PosixZoneRule("UTC0") == PosixZoneRule(standardName: "UTC", standardOffset: 0, daylight: nil))

        let dublin = try #require(PosixZoneRule("IST-1GMT0,M10.5.0,M3.5.0/1"))
        #expect(dublin.standardOffset == 3600 && dublin.daylight?.offset == 0 && dublin.daylight?.end.time == 3600)
        #expect(dublin.offset(at: Self.utc(2030, 7, 1)) == 3600 && dublin.offset(at: Self.utc(2030, 1, 1)) == 0)
        // Ireland changes at 01:00 UTC both ways: last Sunday of October (27th in 2030), of March (31st).
        #expect(dublin.offset(at: Self.utc(2030, 10, 27, 1) - 1) == 3600 && dublin.offset(at: Self.utc(2030, 10, 27, 1)) == 0)
        #expect(dublin.offset(at: Self.utc(2030, 3, 31, 1) - 1) == 0 && dublin.offset(at: Self.utc(2030, 3, 31, 1)) == 3600)

        let lordHowe = try #require(PosixZoneRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"))
        #expect(lordHowe.standardName == "+1030" && lordHowe.standardOffset == 37_800 && lordHowe.daylight?.offset == 39_600)
        #expect(lordHowe.daylight?.name == "+11")

        // A daylight name without an offset is an hour ahead of standard time.
        #expect(PosixZoneRule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45")?.daylight?.offset == 13 * 3600 + 45 * 60)
        #expect(PosixZoneRule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45")?.daylight?.start.time == 2 * 3600 + 45 * 60)

        // RFC 8536's times outside 0...24 hours: Jerusalem's /26 (Friday 02:00 written as Thursday 26:00),
        // Nuuk's /-1 (Saturday 23:00 written as Sunday -1:00), and the bounds.
        #expect(PosixZoneRule("IST-2IDT,M3.4.4/26,M10.5.0")?.daylight?.start.time == 26 * 3600)
        #expect(PosixZoneRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")?.daylight?.start.time == -3600)
        #expect(PosixZoneRule("<-02>2<-01>,M3.5.0/-167,M10.5.0/167:59:59")?.daylight?.end.time == 167 * 3600 + 3599)
        #expect(PosixZoneRule("<-02>2<-01>,M3.5.0/-1:30,M10.5.0")?.daylight?.start.time == -5400)

        // Jn never counts February 29; n does.
        #expect(PosixZoneRule("EST5EDT,J60/0,J300") != nil && PosixZoneRule("EST5EDT,59,300/3:15") != nil)
        let julian60 = PosixZoneRule.Change(day: .julian(60), time: 0), zero59 = PosixZoneRule.Change(day: .zeroBased(59), time: 0)
        #expect(julian60.localSeconds(year: 2024) == Self.utc(2024, 3, 1) && julian60.localSeconds(year: 2023) == Self.utc(2023, 3, 1))
        #expect(zero59.localSeconds(year: 2024) == Self.utc(2024, 2, 29) && zero59.localSeconds(year: 2023) == Self.utc(2023, 3, 1))
        #expect(PosixZoneRule.Change(day: .julian(365), time: 0).localSeconds(year: 2024) == Self.utc(2024, 12, 31))
        #expect(PosixZoneRule.Change(day: .zeroBased(365), time: 0).localSeconds(year: 2024) == Self.utc(2024, 12, 31))
        // M2.5.0 is the last Sunday of February, in week 4 when there is no fifth.
        #expect(PosixZoneRule.Change(day: .monthWeekDay(month: 2, week: 5, weekday: 0), time: 0).localSeconds(year: 2026) == Self.utc(2026, 2, 22))
        #expect(PosixZoneRule.Change(day: .monthWeekDay(month: 12, week: 5, weekday: 3), time: 0).localSeconds(year: 2025) == Self.utc(2025, 12, 31))
    }

    /// RFC 8536 3.3.1's daylight time all year: the end and the next start are the same instant.
    @Test func allYearDaylightTimeStaysInForce() throws {
        let rule = try #require(PosixZoneRule("EST5EDT,0/0,J365/25"))
        for t in [Self.utc(2030, 1, 1), Self.utc(2030, 1, 1, 5), Self.utc(2030, 1, 1, 5) - 1, Self.utc(2030, 7, 1), Self.utc(2030, 12, 31, 23)] {
            #expect(rule.offset(at: t) == -4 * 3600, "\(Self.text(t))")
        }
    }

    @Test func malformedTZStringsAreRefused() {
        for text in ["", "EST", "ES5", "EST5EDT", "EST5,M3.2.0,M11.1.0", "EST25", "EST5:60", "EST5EDT,M13.1.0,M11.1.0",
                     "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,M0.1.0,M11.1.0", "EST5EDT,J0,J100",
                     "EST5EDT,366,100", "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0/-168,M11.1.0", "<AB>5", "<+0530-5:30",
                     "EST5EDT,M3.2.0,M11.1.0,", "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,", "EST 5", "EST5EDT4,M3.2.0,M11.1.0x",
                     "<+05 30>-5:30", "EST+", "EST5EDT,M3.2.0/2:3:4:5,M11.1.0", "EST5EDT,M003.2.0,M11.1.0", "ÉST5"] {
            #expect(PosixZoneRule(text) == nil, "\(text)")
        }
    }

    // MARK: - TZif files

    static func installedBytes(_ zone: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/\(zone)")))
    }

    @Test func installedFilesParse() throws {
        let newYork = try TZifFile(bytes: Self.installedBytes("America/New_York"))
        #expect(newYork.version >= 2 && newYork.rule == PosixZoneRule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(newYork.localTimeTypes.first == TZifFile.LocalTimeType(utcOffset: -17_762, isDaylight: false, abbreviation: "LMT"))
        #expect(newYork.transitionTimes.count == newYork.transitionTypes.count && newYork.transitionTimes.count > 200)
        let utc = try TZifFile(bytes: Self.installedBytes("Etc/UTC"))
        #expect(utc.transitionTimes.isEmpty && utc.rule == PosixZoneRule("UTC0"))
    }

    @Test func everyTruncationIsRefused() throws {
        for zone in ["America/New_York", "Asia/Kolkata", "Etc/UTC"] {
            let bytes = try Self.installedBytes(zone)
            for length in 0..<bytes.count {
                #expect(throws: TZifFile.Failure.self, "\(zone) cut at \(length)") { try TZifFile(bytes: Array(bytes[0..<length])) }
            }
        }
    }

    @Test func truncatedCopiesOnDiskAreNotZones() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zonerules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("Test"), withIntermediateDirectories: true)
        let bytes = try Self.installedBytes("Europe/Dublin")
        for (index, length) in [0, 4, 44, 45, 300, bytes.count / 2, bytes.count - 20, bytes.count - 1].enumerated() {
            try Data(bytes[0..<length]).write(to: directory.appendingPathComponent("Test/Cut\(index)"))
            #expect(ZoneRules.named("Test/Cut\(index)", directory: directory.path) == nil, "cut at \(length)")
        }
        try Data(bytes).write(to: directory.appendingPathComponent("Test/Whole"))
        let whole = try #require(ZoneRules.named("Test/Whole", directory: directory.path))
        #expect(whole.offset(at: Self.utc(2030, 7, 1)) == 3600)
        // A directory is not a zone.
        #expect(ZoneRules.named("Test", directory: directory.path) == nil)
    }

    /// The 32-bit part of a version 2 file is a version 1 file of its own; versions 3 and 4 read like 2.
    @Test func versionsOneToFourAreRead() throws {
        let bytes = try Self.installedBytes("Europe/London")
        let header = Array(bytes[0..<44])
        func count(_ index: Int) -> Int { header[20 + 4 * index..<24 + 4 * index].reduce(0) { $0 << 8 | Int($1) } }
        let v1Length = 44 + count(3) * 5 + count(4) * 6 + count(5) + count(2) * 8 + count(1) + count(0)
        var v1 = Array(bytes[0..<v1Length])
        v1[4] = 0
        let old = try TZifFile(bytes: v1)
        #expect(old.version == 1 && old.rule == nil && old.transitionTimes.last.map { $0 < Self.utc(2038) } == true)
        let rules = ZoneRules(identifier: "Europe/London", file: old)
        #expect(rules.offset(at: Self.utc(2030, 7, 1)) == 3600)
        // Past the 32-bit table's end (2037) the last type holds: summer time is lost, the limit of version 1.
        #expect(rules.offset(at: Self.utc(2040, 7, 1)) == 0)
        for (version, byte) in [(3, UInt8(ascii: "3")), (4, UInt8(ascii: "4"))] {
            var patched = bytes
            (patched[4], patched[v1Length + 4]) = (byte, byte)
            #expect(try TZifFile(bytes: patched).version == version)
        }
        var unknown = bytes
        (unknown[4], unknown[v1Length + 4]) = (UInt8(ascii: "5"), UInt8(ascii: "5"))
        #expect(throws: TZifFile.Failure.self) { try TZifFile(bytes: unknown) }
        var mixed = bytes
        mixed[v1Length + 4] = UInt8(ascii: "3")
        #expect(throws: TZifFile.Failure.self) { try TZifFile(bytes: mixed) }
    }

    @Test func hostileFilesAreRefusedWithoutCrashing() throws {
        let bytes = try Self.installedBytes("Australia/Lord_Howe")
        // Four billion transitions claimed in a 44-byte file.
        var huge = Array(bytes[0..<44])
        for i in 20..<44 { huge[i] = 0xFF }
        #expect(throws: TZifFile.Failure.self) { try TZifFile(bytes: huge + [UInt8](repeating: 0, count: 100)) }
        #expect(throws: TZifFile.Failure.self) { try TZifFile(bytes: Array("TZif2 not really a time zone file at all.....".utf8)) }
        #expect(throws: TZifFile.Failure.self) { try TZifFile(bytes: Array("TZjf".utf8) + bytes.dropFirst(4)) }

        // Random damage: each result is a refusal or a file whose rules answer without trapping.
        var generator = SplitMix(seed: 8536)
        var refused = 0
        for round in 0..<1000 {
            var damaged = bytes
            for _ in 0..<(1 + round % 4) {
                let index = Int(generator.next() % UInt64(damaged.count))
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let file = try TZifFile(bytes: damaged)
                let rules = ZoneRules(identifier: "Damaged", file: file)
                for t in [Int64.min, Self.utc(1900), 0, Self.utc(2100), Int64.max] {
                    _ = rules.offset(at: t)
                    _ = rules.instant(local: t)
                }
                _ = rules.transitions(from: Self.utc(1900), to: Self.utc(2200))
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    /// A small deterministic generator, so that a failing damage round can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
