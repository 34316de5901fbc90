/// One part of a document that every renderer can show: a title, sentences, a table, notes
/// under it, and a chart where a page can draw one. Text renderers skip the chart; the data
/// behind it is in the lines or the table.
public struct ReportSection: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public var table: Table?
    public var notes: [String]
    public var chart: Chart?
    /// The table's data laid out for a wide page, where `table` is laid out for a terminal
    /// (the counters: one row per benchmark instead of one per event).
    public var pageTable: Table?

    public init(title: String, lines: [String] = [], table: Table? = nil, notes: [String] = [], chart: Chart? = nil) {
        self.title = title; self.lines = lines; self.table = table; self.notes = notes; self.chart = chart
    }

    public var isEmpty: Bool { lines.isEmpty && table == nil && pageTable == nil && notes.isEmpty && chart == nil }
}

/// Rows of text under a header; the numeric columns are figures (aligned right).
public struct Table: Equatable, Sendable {
    public var header: [String]
    public var rows: [[String]]
    public var numericColumns: Set<Int>

    /// By default every column but the first is numeric.
    public init(header: [String], rows: [[String]], numericColumns: Set<Int>? = nil) {
        self.header = header; self.rows = rows; self.numericColumns = numericColumns ?? Set(1..<max(header.count, 1))
    }
}

/// Horizontal bars on one axis, each a figure with its interval where it has one.
public struct Chart: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A syscall: a privilege switch.
        case privilegeSwitch
        /// No kernel entry at all (the vDSO).
        case noKernelEntry
        /// A process or thread switch.
        case processSwitch

        public var legend: String {
            switch self {
            case .privilegeSwitch: return "privilege switch (syscall)"
            case .noKernelEntry: return "no kernel entry (vDSO)"
            case .processSwitch: return "process or thread switch"
            }
        }
    }
    public struct Bar: Equatable, Sendable {
        public var label: String
        public var value: Double
        public var low: Double?
        public var high: Double?
        public var kind: Kind
        public init(label: String, value: Double, low: Double? = nil, high: Double? = nil, kind: Kind) {
            self.label = label; self.value = value; self.low = low; self.high = high; self.kind = kind
        }
    }
    public var bars: [Bar]
    /// What each bar's nanoseconds are per ("call or switch"): the axis says "ns per …" (or µs, ms).
    public var per: String
    public var logarithmic: Bool

    public init(bars: [Bar], per: String, logarithmic: Bool) {
        self.bars = bars; self.per = per; self.logarithmic = logarithmic
    }
}
