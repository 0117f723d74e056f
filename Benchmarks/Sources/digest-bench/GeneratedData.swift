import DigestKit
import Foundation

/// One item of `items.json`, as `gen_render.py` writes it.
struct GeneratedItem: Decodable {
    var id: String
    var kind: ItemKind
    var source: String
    var title: String
    var summary: String
    var url: String?
    var organizer: String?
    var topics: [String]
    var regions: [String]
    var online: Bool
    var start: Date?
    var end: Date?
    var location: String?
    var deadline: Date?
    var budget: String?

    /// The DigestKit item it stands for.
    var item: Item {
        var item = Item(id: id, kind: kind, source: source, title: title)
        item.summary = summary
        item.url = url.flatMap { URL(string: $0) }
        item.organizer = organizer
        item.topics = topics
        item.regions = regions
        item.online = online
        item.start = start
        item.end = end
        item.location = location
        item.deadline = deadline
        item.budget = budget
        return item
    }
}

/// One reader of `subscribers.json`, as `gen_render.py` writes it.
struct GeneratedSubscriber: Decodable {
    var email: String
    var name: String
    var language: Language
    var topics: [String]
    var regions: [String]

    /// The DigestKit subscriber it stands for.
    var subscriber: Subscriber {
        var subscriber = Subscriber(email: email, file: "subscribers.json")
        subscriber.name = name
        subscriber.language = language
        subscriber.interests.topics = topics
        subscriber.interests.regions = regions
        return subscriber
    }
}

/// Reads the JSON array in `path`.
func decodeGenerated<T: Decodable>(_ type: [T].Type, from path: String) throws -> [T] {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    do {
        return try decoder.decode(type, from: try readFile(path))
    } catch let error as BenchError {
        throw error
    } catch {
        throw BenchError(description: "\(path): not what gen_render.py writes: \(error)")
    }
}
