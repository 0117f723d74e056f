import Foundation

/// The raw shape of `topics.yaml`.
struct TaxonomyFile: Decodable {
    struct TopicEntry: Decodable {
        var sv: String?
        var en: String?
        var synonyms: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case sv, en, synonyms
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            sv = try container.decodeIfPresent(String.self, forKey: .sv)
            en = try container.decodeIfPresent(String.self, forKey: .en)
            synonyms = try container.decodeList(.synonyms)
        }
    }

    var topics: [String: TopicEntry]
    var organizers: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case topics, organizers
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        topics = try container.decodeIfPresent([String: TopicEntry].self, forKey: .topics) ?? [:]
        organizers = try container.decodeList(.organizers)
    }
}

extension Taxonomy {
    /// Reads `topics.yaml`; topics keep the order they have in the file.
    public static func load(from url: URL, displayPath: String) throws(DiagnosticList) -> Taxonomy {
        let document = try YAMLDocument(contentsOf: url, displayPath: displayPath)
        let raw = try document.decode(TaxonomyFile.self)
        var order: [String] = []
        if case .mapping(let root)? = document.root, case .mapping(let topics)? = root["topics"] {
            order = topics.keys.compactMap(\.string)
        }
        let topics = order.compactMap { id -> Topic? in
            guard let entry = raw.topics[id] else { return nil }
            var labels: [Language: String] = [:]
            labels[.sv] = entry.sv
            labels[.en] = entry.en
            return Topic(id: id, labels: labels, synonyms: entry.synonyms)
        }
        return Taxonomy(topics: topics, organizers: raw.organizers)
    }
}
