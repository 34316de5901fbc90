import Foundation

/// The package's folder (the one holding Package.swift), found from this file's place in it:
/// Tests/SysCostTestSupport/PackageRoot.swift. The one way every test finds scripts, docs,
/// fixtures and committed results.
public enum PackageRoot {
    public static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A file or folder of the package, by its path from the root ("docs/report-schema.json").
    public static func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }
}
