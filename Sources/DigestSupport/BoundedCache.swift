import Synchronization

/// Values worked out once per key and kept, shared by threads, at most `capacity` of them: when one more would not
/// fit, every value is dropped at once (one cheap policy, the same for every cache; memory stays bounded however long
/// a process runs, and a run that needs more than `capacity` values only works some out twice).
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most values kept.
    public let capacity: Int
    private let values = Mutex<[Key: Value]>([:])

    /// A cache keeping at most `capacity` (at least 1) values.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value for `key`, made by `make` the first time (two threads asking at once may both make it; the values
    /// are the same, and one is kept).
    public func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        if let value = values.withLock({ $0[key] }) { return value }
        let made = try make()
        values.withLock { values in
            if values[key] == nil && values.count >= capacity { values.removeAll() }
            values[key] = made
        }
        return made
    }

    /// Keeps `value` for `key`, in place of what was kept (for a value found stale by its user).
    public func replace(_ key: Key, with value: Value) {
        values.withLock { values in
            if values[key] == nil && values.count >= capacity { values.removeAll() }
            values[key] = value
        }
    }

    /// The value kept for `key`, if any.
    public func cached(_ key: Key) -> Value? {
        values.withLock { $0[key] }
    }

    /// How many values are kept now.
    public var count: Int {
        values.withLock { $0.count }
    }
}
