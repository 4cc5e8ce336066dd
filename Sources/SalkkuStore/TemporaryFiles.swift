import Foundation

/// A directory of database files that is removed when the last database using it is gone.
final class TemporaryFiles: Sendable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("salkku-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        // Open connections keep their files until they close; the names go now.
        try? FileManager.default.removeItem(at: directory)
    }
}
