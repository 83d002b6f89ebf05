/// A dotted path into a document, such as `participants.userId`.
///
/// A path steps through nested maps. ``Value/lookup(_:)`` follows maps only, so a
/// path that meets an array finds nothing; ``Value/lookupAll(_:)`` also steps into
/// every element of the arrays it meets, which is what multi-entry indexes and the
/// `CONTAINS`-style predicates use.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The field names, outermost first. Never empty.
    public let components: [String]

    /// A path from its components.
    /// - Precondition: `components` is not empty.
    public init(_ components: [String]) {
        precondition(!components.isEmpty, "a field path has at least one component")
        self.components = components
    }

    /// Parses `a.b.c`. Throws `INVALID_ARGUMENT` for an empty path or component.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw EngramError(.invalidArgument, "invalid field path '\(text)'")
        }
        self.components = parts
    }

    /// A path from a literal; the literal must be a valid dotted path.
    public init(stringLiteral value: String) {
        self.components = value.split(separator: ".").map(String.init)
        precondition(!components.isEmpty, "a field path literal is not empty")
    }

    /// The dotted form, e.g. `participants.userId`.
    public var description: String { components.joined(separator: ".") }

    /// The top-level field this path starts at.
    public var root: String { components[0] }
}

extension Value {
    /// The value at `path`, following maps only; `nil` when any step is absent or
    /// not a map.
    public func lookup(_ path: FieldPath) -> Value? {
        var current = self
        for name in path.components {
            guard case .map(let m) = current, let next = m[name] else { return nil }
            current = next
        }
        return current
    }

    /// Every value reachable at `path`, stepping into each element of the arrays met
    /// along the way and at the end. `{tags: ["a","b"]}` at `tags` gives `["a","b"]`;
    /// `{p: [{id: 1}, {id: 2}]}` at `p.id` gives `[1, 2]`. Absent paths give `[]`.
    public func lookupAll(_ path: FieldPath) -> [Value] {
        var out: [Value] = []
        collect(path.components[...], into: &out)
        return out
    }

    private func collect(_ rest: ArraySlice<String>, into out: inout [Value]) {
        if case .array(let elements) = self {
            for e in elements { e.collect(rest, into: &out) }
            return
        }
        guard let name = rest.first else {
            out.append(self)
            return
        }
        guard case .map(let m) = self, let next = m[name] else { return }
        next.collect(rest.dropFirst(), into: &out)
    }

    /// Returns a copy with `value` stored at `path`, creating intermediate maps.
    /// Throws `INVALID_ARGUMENT` if a step exists and is not a map.
    public func setting(_ path: FieldPath, to value: Value) throws -> Value {
        try updating(path.components[...], path: path) { _ in value }
    }

    /// Returns a copy with the field at `path` removed (a no-op if it is absent).
    public func removing(_ path: FieldPath) -> Value {
        (try? updating(path.components[...], path: path, createMissing: false) { _ in nil }) ?? self
    }

    private func updating(
        _ rest: ArraySlice<String>, path: FieldPath, createMissing: Bool = true,
        _ change: (Value?) -> Value?
    ) throws -> Value {
        guard case .map(var m) = self else {
            throw EngramError(.invalidArgument, "cannot set '\(path)': a parent is \(typeName), not an object")
        }
        let name = rest.first!  // rest is never empty: paths are non-empty and recursion stops at the last step
        if rest.count == 1 {
            if let v = change(m[name]) { m[name] = v } else { m.removeValue(forKey: name) }
            return .map(m)
        }
        if let child = m[name] {
            m[name] = try child.updating(rest.dropFirst(), path: path, createMissing: createMissing, change)
        } else if createMissing {
            m[name] = try Value.map([:]).updating(rest.dropFirst(), path: path, createMissing: createMissing, change)
        }
        return .map(m)
    }
}
