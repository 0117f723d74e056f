import Synchronization

/// Values worked out once per key and kept for the run, shared by threads; past `capacity` keys everything is
/// dropped at once, so memory stays bounded however long a process runs.
final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = Mutex<[Key: Value]>([:])

    /// A memo keeping at most `capacity` values.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value for `key`, made by `make` the first time (two threads asking at once may both make it; the values
    /// are the same, and one is kept).
    func value(for key: Key, make: () -> Value) -> Value {
        if let value = values.withLock({ $0[key] }) { return value }
        let made = make()
        values.withLock { values in
            if values.count >= capacity { values.removeAll() }
            values[key] = made
        }
        return made
    }

    /// Keeps `value` for `key`, in place of what was kept.
    func replace(_ key: Key, with value: Value) {
        values.withLock { values in
            if values.count >= capacity { values.removeAll() }
            values[key] = value
        }
    }
}
