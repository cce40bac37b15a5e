extension ArraySlice<UInt8> {
    /// What a curl read callback answers: up to `capacity` bytes moved from the front into curl's
    /// buffer, and their count (0 once none are left: the end of the upload).
    mutating func moveFront(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = Swift.min(capacity, self.count)
        guard count > 0 else { return 0 }
        prefix(count).withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: count)
        }
        self = dropFirst(count)
        return count
    }
}
