import FoundationEssentials
import Glibc
import OzziRuntime

/// A folder of one transcription's own (`<parent>/transcription-XXXXXX`) for the audio it converts, removed
/// when the transcription ends however it ends.
struct ScratchFolder: Sendable {
    let path: String

    /// Runs `body` with a new folder under `parent` (made if missing), then removes the folder.
    static func using<T: Sendable>(under parent: String, pool: BlockingPool = .shared,
                                   _ body: (ScratchFolder) async throws(TranscriptionError) -> T) async throws(TranscriptionError) -> T {
        let made: String
        do {
            made = try await pool.run { () throws -> String in
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                var template = Array((parent + "/transcription-XXXXXX").utf8CString)
                guard mkdtemp(&template) != nil else { throw TranscriptionError.failed(provider: "transcription", message: "cannot make a folder under \(parent): errno \(errno)") }
                return String(cString: template)
            }
        } catch {
            throw error as? TranscriptionError ?? .failed(provider: "transcription", message: "cannot make a folder under \(parent): \(error)")
        }
        let folder = ScratchFolder(path: made)
        do {
            let result = try await body(folder)
            await folder.remove(pool)
            return result
        } catch {
            await folder.remove(pool)
            throw error
        }
    }

    private func remove(_ pool: BlockingPool) async {
        try? await pool.run { [path] in try FileManager.default.removeItem(atPath: path) }
    }

    /// A file's bytes, read off the loop.
    func read(_ name: String, pool: BlockingPool = .shared) async throws(TranscriptionError) -> [UInt8] {
        let file = path + "/" + name
        do {
            return try await pool.run { () throws -> [UInt8] in
                guard let data = FileManager.default.contents(atPath: file) else { throw TranscriptionError.failed(provider: "transcription", message: "cannot read \(file)") }
                return [UInt8](data)
            }
        } catch {
            throw error as? TranscriptionError ?? .failed(provider: "transcription", message: "cannot read \(file): \(error)")
        }
    }

    /// A file's size in bytes, read off the loop.
    func size(_ name: String, pool: BlockingPool = .shared) async -> Int {
        let file = path + "/" + name
        return (try? await pool.run { (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0 }) ?? 0
    }
}
