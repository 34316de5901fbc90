/// A kernel release ordered by its version numbers: 6.1.0-57-cloud-amd64 < 6.12.117+deb12-cloud-amd64
/// < 6.18.44-fc-v595. The numbers are read from the start up to the first part that is not
/// one (a flavour, "+deb12", "-rc"), so 6.1.0-57 sorts before 6.1.0-60.
public struct KernelVersion: Comparable, CustomStringConvertible, Sendable {
    public let release: String
    public let numbers: [Int]

    public init(_ release: String) {
        self.release = release
        var numbers: [Int] = []
        for part in release.split(whereSeparator: { $0 == "." || $0 == "-" }) {
            let digits = part.prefix { $0.isASCII && $0.isNumber }
            guard let n = Int(digits) else { break }
            numbers.append(n)
            if digits.count < part.count { break }  // "117+deb12": the number, then stop
        }
        self.numbers = numbers
    }

    public var description: String { release }

    public static func < (a: KernelVersion, b: KernelVersion) -> Bool {
        for (x, y) in zip(a.numbers, b.numbers) where x != y { return x < y }
        if a.numbers.count != b.numbers.count { return a.numbers.count < b.numbers.count }
        return a.release < b.release
    }

    public static func == (a: KernelVersion, b: KernelVersion) -> Bool { a.release == b.release }
}
