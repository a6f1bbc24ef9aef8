#include "mgmt/cli/schema_walk.h"

#include <algorithm>

namespace sabina::mgmt::cli {

using config::Node;
using config::SchemaNode;

namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Keywords that may be typed at a container: every content child except a flat list, whose
// entries are bare keys.
std::vector<const SchemaNode*> Keywords(const SchemaNode& s) {
  std::vector<const SchemaNode*> out;
  for (const SchemaNode* c : s.content()) {
    if (c->is_list() && c->list_style == config::ListStyle::kFlat) continue;
    out.push_back(c);
  }
  return out;
}

std::string KeyPlaceholder(const SchemaNode& list) {
  if (!list.type_help.empty()) return list.type_help;
  return "<" + (list.key_name.empty() ? std::string("name") : list.key_name) + ">";
}

std::string ValuePlaceholder(const SchemaNode& leaf) {
  if (!leaf.type_help.empty()) return leaf.type_help;
  return "<" + leaf.name + ">";
}

}  // namespace

PathWalk WalkPath(const SchemaNode& root, const Node* data, const std::vector<std::string>& words) {
  PathWalk w;
  w.schema = &root;
  w.data = data;
  auto fail = [&](size_t i, std::string message) {
    w.ok = false;
    w.error_index = i;
    w.error = std::move(message);
    return w;
  };
  bool in_brackets = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    switch (w.state) {
      case PathWalk::State::kNeedKey:
        w.words.push_back(word);
        w.data = w.data ? w.data->Find(w.schema, word) : nullptr;
        w.state = PathWalk::State::kContainer;
        w.level_ends.push_back(w.words.size());
        break;
      case PathWalk::State::kNeedValue:
        w.words.push_back(word);
        if (word == "[" && w.schema->is_leaf_list()) {
          in_brackets = true;
          break;
        }
        w.state = PathWalk::State::kLeafDone;
        break;
      case PathWalk::State::kLeafDone:
        if (in_brackets) {
          w.words.push_back(word);
          if (word == "]") in_brackets = false;
          break;
        }
        return fail(i, "syntax error.");
      case PathWalk::State::kContainer: {
        const SchemaNode* s = w.schema;
        const SchemaNode* chosen = s->Child(word);
        if (chosen && chosen->is_list() && chosen->list_style == config::ListStyle::kFlat) {
          chosen = nullptr;  // a flat list's name is not a keyword
        }
        const SchemaNode* flat = s->FlatList();
        if (!chosen && flat) {
          w.words.push_back(word);
          w.schema = flat;
          w.data = w.data ? w.data->Find(flat, word) : nullptr;
          w.level_ends.push_back(w.words.size());
          break;
        }
        if (!chosen) {
          std::vector<const SchemaNode*> matches;
          for (const SchemaNode* c : Keywords(*s)) {
            if (StartsWith(c->name, word)) matches.push_back(c);
          }
          if (matches.size() > 1) return fail(i, "'" + word + "' is ambiguous.");
          if (matches.empty()) return fail(i, "syntax error.");
          chosen = matches[0];
        }
        w.words.push_back(chosen->name);
        w.schema = chosen;
        if (chosen->is_list()) {
          w.state = PathWalk::State::kNeedKey;
        } else if (chosen->is_leaf() || chosen->is_leaf_list()) {
          w.state = chosen->is_flag() ? PathWalk::State::kLeafDone : PathWalk::State::kNeedValue;
        } else {
          w.data = w.data ? w.data->Find(chosen) : nullptr;
          w.level_ends.push_back(w.words.size());
        }
        break;
      }
    }
  }
  return w;
}

std::vector<Completion> PathCompletions(const PathWalk& walk, const std::string& partial) {
  std::vector<Completion> out;
  auto add_keys = [&](const SchemaNode& list, const Node* parent) {
    if (list.key_type == config::ValueType::kEnum && !list.enum_values.empty()) {
      // A closed set of keys (syslog facilities): list them, not a placeholder.
      for (const std::string& v : list.enum_values) {
        if (StartsWith(v, partial)) out.push_back({v, "", false});
      }
      return;
    }
    out.push_back({KeyPlaceholder(list), list.description, true});
    if (!parent) return;
    std::vector<std::string> keys;
    for (const Node* n : parent->All(&list)) {
      if (StartsWith(n->value(), partial)) keys.push_back(n->value());
    }
    std::sort(keys.begin(), keys.end(),
              [](const std::string& a, const std::string& b) { return config::NaturalLess(a, b); });
    for (std::string& k : keys) out.push_back({std::move(k), "", false});
  };
  switch (walk.state) {
    case PathWalk::State::kContainer: {
      const SchemaNode& s = *walk.schema;
      if (const SchemaNode* flat = s.FlatList()) add_keys(*flat, walk.data);
      std::vector<const SchemaNode*> kws = Keywords(s);
      std::sort(kws.begin(), kws.end(),
                [](const SchemaNode* a, const SchemaNode* b) { return a->name < b->name; });
      for (const SchemaNode* c : kws) {
        if (StartsWith(c->name, partial)) out.push_back({c->name, c->description, false});
      }
      break;
    }
    case PathWalk::State::kNeedKey: {
      // The entries live in the parent of the list keyword's data node.
      add_keys(*walk.schema, walk.data);
      break;
    }
    case PathWalk::State::kNeedValue: {
      const SchemaNode& leaf = *walk.schema;
      if (leaf.type == config::ValueType::kEnum && !leaf.enum_values.empty()) {
        for (const std::string& v : leaf.enum_values) {
          if (StartsWith(v, partial)) out.push_back({v, "", false});
        }
      } else {
        out.push_back({ValuePlaceholder(leaf), leaf.description, true});
      }
      break;
    }
    case PathWalk::State::kLeafDone:
      if (partial.empty()) out.push_back({"<[Enter]>", "Execute this command", true});
      break;
  }
  return out;
}

}  // namespace sabina::mgmt::cli
