extension String {
    /// The string of `scalars`, made from their UTF-8 bytes at once: `String(String.UnicodeScalarView(slice))`
    /// appends a slice scalar by scalar through unspecialised generic code, looking up metadata on each.
    @inlinable public init<Scalars: Collection<Unicode.Scalar>>(scalars: Scalars) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
