/// The `subscribers:` key of `digest.yaml`: the folder alone (`subscribers: people`), or a mapping with the folder
/// and the largest subscriber file read (`subscribers: {folder: people, maxFileBytes: 1048576}`).
struct SubscribersSetting: Decodable, Equatable {
    /// The folder of subscriber files, relative to the config file.
    var folder = "subscribers"
    /// The most bytes a subscriber file may have (1 MiB unless set).
    var maxFileBytes = 1 << 20

    enum CodingKeys: String, CodingKey, CaseIterable {
        case folder, maxFileBytes
    }

    init() {}

    init(from decoder: any Decoder) throws {
        if let folder = try? decoder.singleValueContainer().decode(String.self) {
            self.folder = folder
            return
        }
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        folder = try container.decodeIfPresent(String.self, forKey: .folder) ?? folder
        maxFileBytes = try container.decodeIfPresent(Int.self, forKey: .maxFileBytes) ?? maxFileBytes
        guard maxFileBytes > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxFileBytes, in: container,
                debugDescription: "maxFileBytes must be a positive number of bytes")
        }
    }
}
