import Foundation

/// A set of item positions in an `ItemIndex`, as bits: unions and intersections over a run's items cost a few dozen
/// word operations, whatever the number of items in the sets.
struct ItemSet: Sendable, Equatable {
    private(set) var words: [UInt64]

    /// The empty set over `count` items.
    init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// Every position below `count`.
    static func all(_ count: Int) -> ItemSet {
        var set = ItemSet(count: count)
        for position in 0..<count { set.insert(position) }
        return set
    }

    mutating func insert(_ position: Int) {
        words[position >> 6] |= 1 << UInt64(position & 63)
    }

    func contains(_ position: Int) -> Bool {
        words[position >> 6] & (1 << UInt64(position & 63)) != 0
    }

    mutating func formUnion(_ other: ItemSet) {
        for index in words.indices { words[index] |= other.words[index] }
    }

    mutating func formIntersection(_ other: ItemSet) {
        for index in words.indices { words[index] &= other.words[index] }
    }

    mutating func subtract(_ other: ItemSet) {
        for index in words.indices { words[index] &= ~other.words[index] }
    }

    /// How many positions it holds.
    var count: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Every position, ascending.
    var positions: [Int] {
        var positions: [Int] = []
        positions.reserveCapacity(count)
        for (index, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                positions.append(index << 6 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return positions
    }
}
