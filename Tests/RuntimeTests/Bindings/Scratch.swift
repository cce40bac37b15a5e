import Foundation

/// A fresh folder under the temp dir for one test's files.
func scratchDirectory(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "ozzi-\(name.prefix { $0.isLetter })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
