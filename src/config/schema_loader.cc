// Builds the SchemaNode tree from YANG modules with libyang: every module's top-level data
// nodes become children of one root, sorted by sabina:rank; Junos display conventions come
// from sabina-ext extension instances, read from the parsed nodes (the context keeps
// lysc_node.priv pointing at them), so they need no libyang extension plugin.
#include <dirent.h>
#include <libyang/libyang.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "config/builtin_yang.h"
#include "config/schema.h"
#include "config/schema_internal.h"

namespace sabina::config {

Schema::Yang::~Yang() {
  if (ctx) ly_ctx_destroy(ctx);
}

// Thread: mgmt, at start-up.
class SchemaLoader {
 public:
  struct Module {
    std::string name;
    std::string text;
  };
  static StatusOr<std::unique_ptr<Schema>> Build(const std::vector<Module>& modules);

 private:
  explicit SchemaLoader(const std::vector<Module>& modules) : modules_(modules) {}

  static LY_ERR ImportCallback(const char* mod_name, const char* mod_rev, const char* submod_name,
                               const char* submod_rev, void* user_data, LYS_INFORMAT* format,
                               const char** module_data, ly_module_imp_data_free_clb* free_data);
  Status LoadModules(ly_ctx* ctx);
  Status Convert(const lysc_node* y, SchemaNode* parent, std::unique_ptr<SchemaNode>* out);
  Status MapType(const lysc_type* ct, const lysp_type* pt, SchemaNode* n);
  static void InjectApplyGroups(SchemaNode* n);
  std::string LibyangError(ly_ctx* ctx) const;

  const std::vector<Module>& modules_;
};

namespace {

std::string_view Unprefixed(const char* name) {
  std::string_view s = name ? name : "";
  size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

// The sabina-ext extension instance `ext` on a parsed node, or null.
const lysp_ext_instance* FindExt(const lysp_ext_instance* exts, std::string_view ext) {
  LY_ARRAY_COUNT_TYPE i;
  LY_ARRAY_FOR(exts, i) {
    if (Unprefixed(exts[i].name) == ext) return &exts[i];
  }
  return nullptr;
}

const lysp_type* ParsedType(const lysc_node* y) {
  const auto* p = static_cast<const lysp_node*>(y->priv);
  if (!p) return nullptr;
  if (y->nodetype == LYS_LEAF) return &reinterpret_cast<const lysp_node_leaf*>(p)->type;
  if (y->nodetype == LYS_LEAFLIST) return &reinterpret_cast<const lysp_node_leaflist*>(p)->type;
  return nullptr;
}

const lysc_type* CompiledType(const lysc_node* y) {
  if (y->nodetype == LYS_LEAF) return reinterpret_cast<const lysc_node_leaf*>(y)->type;
  if (y->nodetype == LYS_LEAFLIST) return reinterpret_cast<const lysc_node_leaflist*>(y)->type;
  return nullptr;
}

// Typedefs with fast validators, by name (ietf-inet-types and sabina-types).
bool KnownTypedef(std::string_view name, ValueType* t) {
  static const std::map<std::string_view, ValueType> kTable = {
      {"ipv4-address", ValueType::kIpv4Address},
      {"ipv4-address-no-zone", ValueType::kIpv4Address},
      {"ipv6-address", ValueType::kIpv6Address},
      {"ipv6-address-no-zone", ValueType::kIpv6Address},
      {"ip-address", ValueType::kIpAddress},
      {"ip-address-no-zone", ValueType::kIpAddress},
      {"ipv4-prefix", ValueType::kIpv4Prefix},
      {"ipv6-prefix", ValueType::kIpv6Prefix},
      {"ip-prefix", ValueType::kIpPrefix},
      {"ipv4-interface-address", ValueType::kIpv4AddressOrPrefix},
      {"ipv6-interface-address", ValueType::kIpv6AddressOrPrefix},
  };
  auto it = kTable.find(name);
  if (it == kTable.end()) return false;
  *t = it->second;
  return true;
}

std::string DefaultHelp(const SchemaNode& n, std::string_view leaf_name) {
  switch (n.type) {
    case ValueType::kIpv4Address:
    case ValueType::kIpv6Address:
    case ValueType::kIpAddress:
    case ValueType::kIpv4AddressOrPrefix:
    case ValueType::kIpv6AddressOrPrefix:
      return "<address>";
    case ValueType::kIpv4Prefix:
    case ValueType::kIpv6Prefix:
    case ValueType::kIpPrefix:
      return "<prefix>";
    case ValueType::kUint:
      return "<" + std::to_string(n.min) + ".." + std::to_string(n.max) + ">";
    case ValueType::kInt:
      return "<" + std::to_string(static_cast<int64_t>(n.min)) + ".." +
             std::to_string(static_cast<int64_t>(n.max)) + ">";
    case ValueType::kEmpty:
    case ValueType::kEnum:
      return "";
    case ValueType::kString:
    case ValueType::kYang:
      break;
  }
  return "<" + std::string(leaf_name) + ">";
}

}  // namespace

LY_ERR SchemaLoader::ImportCallback(const char* mod_name, const char* /*mod_rev*/,
                                    const char* submod_name, const char* /*submod_rev*/,
                                    void* user_data, LYS_INFORMAT* format, const char** module_data,
                                    ly_module_imp_data_free_clb* free_data) {
  const auto* self = static_cast<const SchemaLoader*>(user_data);
  std::string_view want = submod_name ? submod_name : mod_name;
  for (const Module& m : self->modules_) {
    if (m.name == want) {
      *format = LYS_IN_YANG;
      *module_data = m.text.c_str();
      *free_data = nullptr;
      return LY_SUCCESS;
    }
  }
  return LY_ENOTFOUND;
}

std::string SchemaLoader::LibyangError(ly_ctx* ctx) const {
  const char* msg = ly_errmsg(ctx);
  const char* path = ly_errpath(ctx);
  std::string out = msg ? msg : "unknown libyang error";
  if (path) out += std::string(" (") + path + ")";
  return out;
}

Status SchemaLoader::LoadModules(ly_ctx* ctx) {
  ly_ctx_set_module_imp_clb(ctx, &SchemaLoader::ImportCallback, const_cast<SchemaLoader*>(this));
  for (const Module& m : modules_) {
    // A module may already be in the context as another one's import: implement it then.
    if (lys_module* existing = ly_ctx_get_module_latest(ctx, m.name.c_str())) {
      if (!existing->implemented && lys_set_implemented(existing, nullptr) != LY_SUCCESS) {
        return Status::Error("YANG module " + m.name + ": " + LibyangError(ctx));
      }
      continue;
    }
    if (lys_parse_mem(ctx, m.text.c_str(), LYS_IN_YANG, nullptr) != LY_SUCCESS) {
      return Status::Error("YANG module " + m.name + ": " + LibyangError(ctx));
    }
  }
  return Status::Ok();
}

Status SchemaLoader::MapType(const lysc_type* ct, const lysp_type* pt, SchemaNode* n) {
  ValueType known;
  if (pt && pt->name && KnownTypedef(Unprefixed(pt->name), &known)) {
    n->type = known;
    return Status::Ok();
  }
  switch (ct->basetype) {
    case LY_TYPE_UINT8:
    case LY_TYPE_UINT16:
    case LY_TYPE_UINT32:
    case LY_TYPE_UINT64: {
      n->type = ValueType::kUint;
      n->min = 0;
      n->max = ct->basetype == LY_TYPE_UINT8    ? UINT8_MAX
               : ct->basetype == LY_TYPE_UINT16 ? UINT16_MAX
               : ct->basetype == LY_TYPE_UINT32 ? UINT32_MAX
                                                : UINT64_MAX;
      const lysc_range* r = reinterpret_cast<const lysc_type_num*>(ct)->range;
      if (r && LY_ARRAY_COUNT(r->parts) == 1) {
        n->min = r->parts[0].min_u64;
        n->max = r->parts[0].max_u64;
      } else if (r) {
        n->type = ValueType::kYang;  // several ranges: let libyang check
      }
      return Status::Ok();
    }
    case LY_TYPE_INT8:
    case LY_TYPE_INT16:
    case LY_TYPE_INT32:
    case LY_TYPE_INT64: {
      n->type = ValueType::kInt;
      int64_t lo = ct->basetype == LY_TYPE_INT8    ? INT8_MIN
                   : ct->basetype == LY_TYPE_INT16 ? INT16_MIN
                   : ct->basetype == LY_TYPE_INT32 ? INT32_MIN
                                                   : INT64_MIN;
      int64_t hi = ct->basetype == LY_TYPE_INT8    ? INT8_MAX
                   : ct->basetype == LY_TYPE_INT16 ? INT16_MAX
                   : ct->basetype == LY_TYPE_INT32 ? INT32_MAX
                                                   : INT64_MAX;
      const lysc_range* r = reinterpret_cast<const lysc_type_num*>(ct)->range;
      if (r && LY_ARRAY_COUNT(r->parts) == 1) {
        lo = r->parts[0].min_64;
        hi = r->parts[0].max_64;
      } else if (r) {
        n->type = ValueType::kYang;
      }
      n->min = static_cast<uint64_t>(lo);
      n->max = static_cast<uint64_t>(hi);
      return Status::Ok();
    }
    case LY_TYPE_STRING: {
      const auto* s = reinterpret_cast<const lysc_type_str*>(ct);
      if (LY_ARRAY_COUNT(s->patterns) > 0 || (s->length && LY_ARRAY_COUNT(s->length->parts) > 1)) {
        n->type = ValueType::kYang;
        return Status::Ok();
      }
      n->type = ValueType::kString;
      if (s->length) {
        n->min = s->length->parts[0].min_u64;
        n->max = s->length->parts[0].max_u64;
      }
      return Status::Ok();
    }
    case LY_TYPE_EMPTY:
      n->type = ValueType::kEmpty;
      return Status::Ok();
    case LY_TYPE_ENUM: {
      n->type = ValueType::kEnum;
      const auto* e = reinterpret_cast<const lysc_type_enum*>(ct);
      LY_ARRAY_COUNT_TYPE i;
      LY_ARRAY_FOR(e->enums, i) {
        n->enum_values.emplace_back(e->enums[i].name);
        n->enum_help.emplace_back(e->enums[i].dsc ? e->enums[i].dsc : "");
      }
      return Status::Ok();
    }
    case LY_TYPE_UNION: {
      // Members with fast validators are tried first; a plain string member accepts anything.
      const auto* u = reinterpret_cast<const lysc_type_union*>(ct);
      n->type = ValueType::kYang;
      LY_ARRAY_COUNT_TYPE i;
      LY_ARRAY_FOR(u->types, i) {
        const lysp_type* member = pt && i < LY_ARRAY_COUNT(pt->types) ? &pt->types[i] : nullptr;
        SchemaNode probe;
        SABINA_RETURN_IF_ERROR(MapType(u->types[i], member, &probe));
        if (probe.type == ValueType::kString && probe.min == 0 && probe.max == UINT64_MAX) {
          n->type = ValueType::kString;
          n->union_types.clear();
          return Status::Ok();
        }
        if (probe.type != ValueType::kYang && probe.type != ValueType::kInt &&
            probe.type != ValueType::kEnum && probe.type != ValueType::kEmpty &&
            probe.type != ValueType::kString && probe.type != ValueType::kUint) {
          n->union_types.push_back(probe.type);
        }
      }
      return Status::Ok();
    }
    default:
      n->type = ValueType::kYang;
      return Status::Ok();
  }
}

Status SchemaLoader::Convert(const lysc_node* y, SchemaNode* parent,
                             std::unique_ptr<SchemaNode>* out) {
  auto n = std::make_unique<SchemaNode>();
  n->name = y->name;
  n->description = y->dsc ? y->dsc : "";
  n->parent = parent;
  n->yang = y;
  if (y->parent && y->parent->nodetype == LYS_CASE && y->parent->parent) {
    n->choice = y->parent->parent->name;
  }
  const auto* p = static_cast<const lysp_node*>(y->priv);
  const lysp_ext_instance* exts = p ? p->exts : nullptr;
  if (FindExt(exts, "flat")) n->list_style = ListStyle::kFlat;
  if (FindExt(exts, "block")) n->list_style = ListStyle::kBlock;
  n->oneliner = FindExt(exts, "oneliner") != nullptr;
  n->secret = FindExt(exts, "secret") != nullptr;
  n->collapse = FindExt(exts, "collapse") != nullptr;
  if (const lysp_ext_instance* rank = FindExt(exts, "rank"); rank && rank->argument) {
    n->rank = std::atoi(rank->argument);
  }
  const lysp_ext_instance* help = FindExt(exts, "help");

  switch (y->nodetype) {
    case LYS_CONTAINER:
      n->kind = SchemaKind::kContainer;
      break;
    case LYS_LIST:
      n->kind = SchemaKind::kList;
      n->ordered_by_user = (y->flags & LYS_ORDBY_USER) != 0;
      break;
    case LYS_LEAF:
    case LYS_LEAFLIST: {
      n->kind = y->nodetype == LYS_LEAF ? SchemaKind::kLeaf : SchemaKind::kLeafList;
      n->ordered_by_user = y->nodetype == LYS_LEAFLIST && (y->flags & LYS_ORDBY_USER) != 0;
      SABINA_RETURN_IF_ERROR(MapType(CompiledType(y), ParsedType(y), n.get()));
      n->type_help = help && help->argument ? help->argument : DefaultHelp(*n, n->name);
      *out = std::move(n);
      return Status::Ok();
    }
    default:
      return Status::Ok();  // rpcs, notifications, anydata: not configuration
  }

  for (const lysc_node* c = lys_getnext(nullptr, y, nullptr, 0); c;
       c = lys_getnext(c, y, nullptr, 0)) {
    if (c->nodetype == LYS_LEAF && (c->flags & LYS_KEY)) {
      if (!n->key_name.empty()) {
        return Status::Error("YANG list " + n->name + ": several keys are not supported");
      }
      SchemaNode key;
      key.name = c->name;
      SABINA_RETURN_IF_ERROR(MapType(CompiledType(c), ParsedType(c), &key));
      const auto* kp = static_cast<const lysp_node*>(c->priv);
      const lysp_ext_instance* khelp = FindExt(kp ? kp->exts : nullptr, "help");
      n->key_name = c->name;
      n->key_type = key.type;
      n->type = key.type;
      n->min = key.min;
      n->max = key.max;
      n->enum_values = std::move(key.enum_values);
      n->enum_help = std::move(key.enum_help);
      n->union_types = std::move(key.union_types);
      n->key_yang = c;
      n->type_help = khelp && khelp->argument ? khelp->argument : DefaultHelp(key, c->name);
      if (FindExt(kp ? kp->exts : nullptr, "secret")) n->secret = true;
      continue;
    }
    std::unique_ptr<SchemaNode> child;
    SABINA_RETURN_IF_ERROR(Convert(c, n.get(), &child));
    if (!child) continue;
    n->children.push_back(child.get());
    n->owned_children.push_back(std::move(child));
  }
  if (n->is_list() && n->key_name.empty()) {
    return Status::Error("YANG list " + n->name + ": keyless lists are not supported");
  }
  *out = std::move(n);
  return Status::Ok();
}

void SchemaLoader::InjectApplyGroups(SchemaNode* n) {
  for (auto& c : n->owned_children) {
    if (c->has_children() && !c->content_of) InjectApplyGroups(c.get());
  }
  static constexpr struct {
    const char* name;
    const char* description;
  } kInjected[] = {
      {"apply-groups", "Groups from which to inherit configuration data"},
      {"apply-groups-except", "Don't inherit configuration data from these groups"},
  };
  // Insert in front, in this order: Junos shows them first in every block.
  for (int i = 1; i >= 0; --i) {
    auto ag = std::make_unique<SchemaNode>();
    ag->kind = SchemaKind::kLeafList;
    ag->name = kInjected[i].name;
    ag->description = kInjected[i].description;
    ag->parent = n;
    ag->ordered_by_user = true;
    ag->type = ValueType::kString;
    ag->type_help = "<group-name>";
    n->children.insert(n->children.begin(), ag.get());
    n->owned_children.push_back(std::move(ag));
  }
}

StatusOr<std::unique_ptr<Schema>> SchemaLoader::Build(const std::vector<Module>& modules) {
  SchemaLoader loader(modules);
  // Keep libyang quiet on stderr; errors are read back from the context.
  ly_log_options(LY_LOSTORE_LAST);
  auto yang = std::make_unique<Schema::Yang>();
  if (ly_ctx_new(nullptr, LY_CTX_DISABLE_SEARCHDIRS | LY_CTX_SET_PRIV_PARSED, &yang->ctx) !=
      LY_SUCCESS) {
    return Status::Error("cannot create the libyang context");
  }
  SABINA_RETURN_IF_ERROR(loader.LoadModules(yang->ctx));

  auto root = std::make_unique<SchemaNode>();
  root->kind = SchemaKind::kContainer;
  for (const Module& m : modules) {
    const lys_module* mod = ly_ctx_get_module_implemented(yang->ctx, m.name.c_str());
    if (!mod || !mod->compiled) continue;
    for (const lysc_node* y = lys_getnext(nullptr, nullptr, mod->compiled, 0); y;
         y = lys_getnext(y, nullptr, mod->compiled, 0)) {
      std::unique_ptr<SchemaNode> top;
      SABINA_RETURN_IF_ERROR(loader.Convert(y, root.get(), &top));
      if (!top) continue;
      if (root->Child(top->name)) {
        return Status::Error("YANG module " + m.name + ": top-level node " + top->name +
                             " is defined twice");
      }
      root->children.push_back(top.get());
      root->owned_children.push_back(std::move(top));
    }
  }
  InjectApplyGroups(root.get());
  for (auto& c : root->owned_children) {
    if (c->name == "apply-groups") c->rank = 30;
    if (c->name == "apply-groups-except") c->rank = 31;
  }

  // groups { NAME { <anything allowed at the root> } }
  auto groups = std::make_unique<SchemaNode>();
  groups->kind = SchemaKind::kContainer;
  groups->name = "groups";
  groups->description = "Configuration groups";
  groups->parent = root.get();
  groups->rank = 20;
  auto group = std::make_unique<SchemaNode>();
  group->kind = SchemaKind::kList;
  group->name = "group";
  group->description = "Configuration group";
  group->parent = groups.get();
  group->list_style = ListStyle::kFlat;
  group->ordered_by_user = true;
  group->key_name = "name";
  group->key_type = ValueType::kString;
  group->type_help = "<group-name>";
  group->content_of = root.get();
  groups->children.push_back(group.get());
  groups->owned_children.push_back(std::move(group));
  root->children.push_back(groups.get());
  root->owned_children.push_back(std::move(groups));

  // Nodes without a rank go last, in module order.
  auto rank = [](const SchemaNode* n) { return n->rank > 0 ? n->rank : INT32_MAX; };
  std::stable_sort(root->children.begin(), root->children.end(),
                   [&](const SchemaNode* a, const SchemaNode* b) { return rank(a) < rank(b); });
  root->Finalize();

  auto schema = std::make_unique<Schema>(std::move(root));
  schema->yang_ = std::move(yang);
  return schema;
}

StatusOr<std::unique_ptr<Schema>> Schema::LoadBuiltin() {
  std::vector<SchemaLoader::Module> modules;
  for (const BuiltinYang& m : BuiltinYangModules()) {
    modules.push_back({std::string(m.name), std::string(m.text)});
  }
  return SchemaLoader::Build(modules);
}

StatusOr<std::unique_ptr<Schema>> Schema::Load(const std::string& yang_dir) {
  std::vector<SchemaLoader::Module> modules;
  DIR* d = opendir(yang_dir.c_str());
  if (!d) return Status::Error("cannot open YANG directory " + yang_dir);
  while (dirent* e = readdir(d)) {
    std::string file = e->d_name;
    if (file.size() <= 5 || file.compare(file.size() - 5, 5, ".yang") != 0) continue;
    std::ifstream in(yang_dir + "/" + file, std::ios::binary);
    if (!in) {
      closedir(d);
      return Status::Error("cannot read " + yang_dir + "/" + file);
    }
    std::ostringstream text;
    text << in.rdbuf();
    modules.push_back({file.substr(0, file.size() - 5), text.str()});
  }
  closedir(d);
  // Deterministic: the same order as the builtin modules (sorted by file name).
  std::sort(modules.begin(), modules.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  if (modules.empty()) return Status::Error("no YANG modules in " + yang_dir);
  return SchemaLoader::Build(modules);
}

}  // namespace sabina::config
