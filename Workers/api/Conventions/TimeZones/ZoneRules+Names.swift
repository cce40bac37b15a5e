import Foundation

extension ZoneRules {
    /// The zone names the installed tzdata lists, zones and their links (`Z name ...` and `L target name`
    /// lines of `tzdata.zi`), sorted; empty when it has no such file.
    static func installedNames(directory: String = ZoneRules.directory) -> [String] {
        guard let text = try? String(contentsOfFile: directory + "/tzdata.zi", encoding: .utf8) else { return [] }
        var names = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, fields[0] == "Z" { names.insert(String(fields[1])) }
            if fields.count >= 3, fields[0] == "L" { names.insert(String(fields[2])) }
        }
        return names.filter(isZoneName).sorted()
    }
}
