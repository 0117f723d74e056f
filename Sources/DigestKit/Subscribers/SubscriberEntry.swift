import Foundation

/// The raw shape of one subscriber in a YAML file, decoded strictly so a typo is an error.
struct SubscriberEntry: Decodable {
    struct InterestsEntry: Decodable {
        var topics: [String]
        var regions: [String]
        var organizers: [String]
        var kinds: [String]
        var keywords: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case topics, regions, organizers, kinds, keywords
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            topics = try container.decodeList(.topics)
            regions = try container.decodeList(.regions)
            organizers = try container.decodeList(.organizers)
            kinds = try container.decodeList(.kinds)
            keywords = try container.decodeList(.keywords)
        }
    }

    struct ExcludeEntry: Decodable {
        var topics: [String]
        var organizers: [String]
        var keywords: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case topics, organizers, keywords
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            topics = try container.decodeList(.topics)
            organizers = try container.decodeList(.organizers)
            keywords = try container.decodeList(.keywords)
        }
    }

    var email: String
    var name: String?
    var language: String?
    var interests: InterestsEntry?
    var exclude: ExcludeEntry?
    var paused: Bool
    var sendEmpty: Bool?
    var consent: ConsentEntry?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case email, name, language, interests, exclude, paused, sendEmpty, consent
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        email = try container.decode(String.self, forKey: .email)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        language = try container.decodeChoice(.language, allowed: Language.allCases.map(\.rawValue))
        interests = try container.decodeIfPresent(InterestsEntry.self, forKey: .interests)
        exclude = try container.decodeIfPresent(ExcludeEntry.self, forKey: .exclude)
        paused = try container.decodeIfPresent(Bool.self, forKey: .paused) ?? false
        sendEmpty = try container.decodeIfPresent(Bool.self, forKey: .sendEmpty)
        consent = try container.decodeIfPresent(ConsentEntry.self, forKey: .consent)
    }
}
