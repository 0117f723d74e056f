import Foundation

/// A subscriber's selection out of an `ItemIndex`: the chosen items in the items' order, each made into a `Selection`
/// when it is read, so that choosing for a hundred thousand subscribers does not build hundreds of millions of values
/// that nobody reads.
public struct SelectionList: RandomAccessCollection, Sendable {
    private let boxes: [ItemBox]
    private let positions: [Int]
    private let rules: InterestFilter.Rules

    init(index: ItemIndex, chosen: ItemSet, rules: InterestFilter.Rules) {
        self.boxes = index.boxes
        self.positions = chosen.positions
        self.rules = rules
    }

    /// The first position, 0.
    public var startIndex: Int { 0 }

    /// The number of selected items.
    public var endIndex: Int { positions.count }

    /// The selection at `position`: the item and why it was chosen.
    public subscript(position: Int) -> Selection {
        Selection(box: boxes[positions[position]], rules: rules)
    }
}
