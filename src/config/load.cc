// `load merge|override|replace|update` (applying a parsed tree with its tags) and `load set`.
#include <string>

#include "config/codec.h"
#include "config/parser_internal.h"

namespace sabina::config {
namespace {

bool Keyed(const SchemaNode* s) { return s->is_list() || s->is_leaf_list(); }

// A load-tree node that only carries `delete:` operations below it: merging it must not create
// the (absent) path to them.
bool OnlyDeletes(const Node& c) {
  if (c.op == Node::Op::kDelete) return true;
  if (c.empty() || c.inactive || c.protect || !c.annotation.empty()) return false;
  if (c.schema()->is_leaf() || c.schema()->is_leaf_list()) return false;
  for (const auto& k : c.children())
    if (!OnlyDeletes(*k)) return false;
  return true;
}

void CopyMeta(Node* d, const Node& c) {
  if (c.inactive) d->inactive = true;
  if (c.op == Node::Op::kActive) d->inactive = false;
  if (c.protect) d->protect = true;
  if (!c.annotation.empty()) d->annotation = c.annotation;
}

void Merge(Node& dst, const Node& src, LoadMode mode) {
  for (const auto& cp : src.children()) {
    const Node& c = *cp;
    const SchemaNode* s = c.schema();
    if (c.op == Node::Op::kDelete) {
      if (Keyed(s) && c.value().empty()) {
        // `delete: name-server;`: every element.
        for (Node* e : dst.All(s)) dst.Remove(e);
      } else if (Node* e = dst.Find(s, c.value())) {
        dst.Remove(e);
      }
      // Statements set after a delete of the same path (mixed set lines) are added afresh.
      if (!c.empty()) {
        Node* d = dst.Ensure(s, c.value());
        Merge(*d, c, mode);
      }
      continue;
    }
    if (c.value().empty() && (Keyed(s) || (s->is_leaf() && !s->is_flag()))) {
      // `deactivate system name-server` / `activate system host-name` from mixed set lines:
      // metadata for whatever the target has.
      std::vector<Node*> hits = Keyed(s) ? dst.All(s) : std::vector<Node*>{};
      if (!Keyed(s))
        if (Node* e = dst.Find(s)) hits.push_back(e);
      for (Node* e : hits) CopyMeta(e, c);
      continue;
    }
    Node* existing = dst.Find(s, c.value());
    if (c.op == Node::Op::kReplace && mode == LoadMode::kReplace && existing && s->has_children()) {
      // Replace in place: an ordered-by-user entry keeps its position.
      const Node* pos = nullptr;
      const auto& ch = dst.children();
      for (size_t i = 0; i < ch.size(); ++i) {
        if (ch[i].get() == existing) {
          pos = i + 1 < ch.size() ? ch[i + 1].get() : nullptr;
          break;
        }
      }
      dst.Remove(existing);
      Node* d = dst.InsertBefore(std::make_unique<Node>(s, c.value()), pos);
      CopyMeta(d, c);
      Merge(*d, c, mode);
      continue;
    }
    if (!existing && OnlyDeletes(c)) continue;
    Node* d = existing ? existing : nullptr;
    if (d && s->is_leaf() && d->value() != c.value()) {
      d->set_value(c.value());
    } else if (!d) {
      d = internal::EnsureChild(&dst, s, c.value());
    }
    if (c.op == Node::Op::kReplace && mode == LoadMode::kReplace) {
      // A replaced leaf or element takes the incoming metadata as a whole.
      d->inactive = c.inactive;
      d->protect = c.protect;
      d->annotation = c.annotation;
    }
    CopyMeta(d, c);
    Merge(*d, c, mode);
  }
}

}  // namespace

Status Load(Node& target, const Node& parsed, LoadMode mode) {
  if (target.schema() != parsed.schema()) {
    return Status::Error("error: the loaded configuration is for a different hierarchy level");
  }
  if (mode == LoadMode::kOverride || mode == LoadMode::kUpdate) {
    // `update` yields the same candidate as `override`; it differs only in which daemons get
    // notified, which the commit's diff already minimises.
    target.Clear();
    Merge(target, parsed, LoadMode::kMerge);
    return Status::Ok();
  }
  Merge(target, parsed, mode);
  return Status::Ok();
}

Status LoadSet(Node& root, const std::vector<std::string>& edit_path, std::string_view text,
               std::string_view source, std::vector<std::string>* warnings) {
  using internal::Word;
  std::unique_ptr<Node> work = root.Clone();
  std::deque<std::string> arena;
  std::vector<Word> base;
  for (const auto& s : edit_path) {
    Word w;
    w.text = s;
    base.push_back(w);
  }
  std::vector<Word> level = base;
  std::vector<std::vector<Word>> stack;  // levels to return to on `exit`
  std::vector<Word> words;
  std::vector<size_t> segs;
  std::vector<std::string> line_warnings;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(pos, e - pos);
    pos = e + 1;
    ++line_no;
    size_t b = 0;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t' || line[b] == '\r')) ++b;
    if (b == line.size() || line[b] == '#') continue;

    auto fail = [&](const Status& st) {
      std::string msg = st.message();
      std::string prefix = std::to_string(line_no) + ":";
      std::string cmd(line.substr(b, 80));
      while (!cmd.empty() && (cmd.back() == '\r' || cmd.back() == ' ')) cmd.pop_back();
      if (line.size() - b > 80) cmd += "...";
      std::string where = std::string(source) + ":";
      if (msg.compare(0, prefix.size(), prefix) != 0) where += prefix + " ";
      return Status::Error(where + msg + " (in: " + internal::Show(cmd) + ")");
    };

    Status st = internal::SplitLine(line, line_no, 1, &arena, &words);
    if (!st.ok()) return fail(st);
    if (words.empty()) continue;
    std::string_view cmd = words[0].text;
    if (cmd == "edit") {
      std::vector<Word> next = level;
      next.insert(next.end(), words.begin() + 1, words.end());
      st = internal::Segments(*root.schema(), next, &segs);
      if (!st.ok()) return fail(st);
      stack.push_back(std::move(level));
      level = std::move(next);
    } else if (cmd == "up") {
      size_t n = 1;
      if (words.size() > 1) {
        n = 0;
        for (char c : words[1].text) {
          if (c < '0' || c > '9' || n > 1000)
            return fail(Status::Error("syntax error: up [count]"));
          n = n * 10 + static_cast<size_t>(c - '0');
        }
      }
      st = internal::Segments(*root.schema(), level, &segs);
      if (!st.ok()) return fail(st);
      size_t drop = 0;
      for (size_t i = 0; i < n && i < segs.size(); ++i) drop += segs[segs.size() - 1 - i];
      stack.push_back(level);
      level.resize(level.size() - drop);
    } else if (cmd == "top") {
      stack.push_back(level);
      level.clear();
    } else if (cmd == "exit" || cmd == "quit") {
      // Back to where the last `edit`/`up`/`top` came from; at the top of the file, nothing.
      if (!stack.empty()) {
        level = std::move(stack.back());
        stack.pop_back();
      }
    } else {
      line_warnings.clear();
      st = internal::ExecuteWords(*work, level, words, &line_warnings);
      if (!st.ok()) return fail(st);
      if (warnings) {
        for (auto& w : line_warnings)
          warnings->push_back(std::string(source) + ":" + std::to_string(line_no) + ": " + w);
      }
    }
  }
  // Success: the edited copy becomes the configuration.
  std::vector<std::unique_ptr<Node>> kids;
  kids.reserve(work->children().size());
  while (!work->empty()) kids.push_back(work->Remove(work->children().back().get()));
  root.Clear();
  for (auto it = kids.rbegin(); it != kids.rend(); ++it) root.Append(std::move(*it));
  root.inactive = work->inactive;
  root.protect = work->protect;
  root.annotation = work->annotation;
  return Status::Ok();
}

}  // namespace sabina::config
