#include "config/diff.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <utility>

#include "config/codec.h"
#include "config/printer_test_util.h"

namespace sabina::config {
namespace {

using testing::TestSchema;

class DiffTest : public ::testing::Test {
 protected:
  // Two trees with the same base content.
  void SetUp() override {
    for (Node* r : {a.get(), b.get()}) {
      r->Ensure(s.version, "1");
      Node* sys = r->Ensure(s.system);
      sys->Ensure(s.host_name, "r1");
      Node* ifs = r->Ensure(s.interfaces);
      Node* fxp = ifs->Ensure(s.interface, "fxp0");
      fxp->Ensure(s.unit, "0")->Ensure(s.family)->Ensure(s.inet)->Ensure(s.address,
                                                                         "10.0.0.15/24");
      ifs->Ensure(s.interface, "ge-0/0/0")->Ensure(s.mtu, "1500");
      Node* f = r->Ensure(s.firewall)->Ensure(s.filter, "F");
      for (const char* t : {"t1", "t2", "t3"}) f->Ensure(s.term, t)->Ensure(s.then)->Ensure(s.accept);
    }
  }
  // Checks the patch property both ways: applying Compare(a, b) to a gives b.
  void ExpectPatchRoundTrip() {
    std::string patch = Compare(*a, *b);
    auto work = a->Clone();
    Status st = ApplyPatch(*work, patch);
    ASSERT_TRUE(st.ok()) << st.message() << "\n" << patch;
    EXPECT_TRUE(work->Equals(*b)) << patch << "\n--- got\n"
                                  << PrintCurly(*work) << "--- want\n"
                                  << PrintCurly(*b);
  }

  TestSchema s;
  std::unique_ptr<Node> a = s.NewRoot();
  std::unique_ptr<Node> b = s.NewRoot();
};

Node* At(Node* r, const TestSchema& s, const char* ifname) {
  return r->Find(s.interfaces)->Find(s.interface, ifname);
}

TEST_F(DiffTest, NoChangeIsEmpty) {
  EXPECT_EQ(Compare(*a, *b), "");
  ExpectPatchRoundTrip();
}

// The recorded Junos session: scrapli_cfg ...merge_diff_and_abort_juniper_junos-system_.yaml.
TEST_F(DiffTest, AddedLeafDeepInFlatListEntry) {
  At(b.get(), s, "fxp0")->Find(s.unit, "0")->Ensure(s.unit_description, "RACECAR");
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces fxp0 unit 0]\n"
            "+    description RACECAR;\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, LeafChange) {
  b->Find(s.system)->Find(s.host_name)->set_value("r2");
  EXPECT_EQ(Compare(*a, *b),
            "[edit system]\n"
            "-   host-name r1;\n"
            "+   host-name r2;\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, RootLevelLeafAndIndent) {
  b->Find(s.version)->set_value("2");
  EXPECT_EQ(Compare(*a, *b),
            "[edit]\n"
            "-  version 1;\n"
            "+  version 2;\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, AddedSubtree) {
  Node* ge = b->Find(s.interfaces)->Ensure(s.interface, "ge-0/0/1");
  ge->Ensure(s.if_description, "new port");
  ge->Ensure(s.unit, "0")->Ensure(s.family)->Ensure(s.inet)->Ensure(s.address, "192.0.2.1/24");
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces]\n"
            "+   ge-0/0/1 {\n"
            "+       description \"new port\";\n"
            "+       unit 0 {\n"
            "+           family inet {\n"
            "+               address 192.0.2.1/24;\n"
            "+           }\n"
            "+       }\n"
            "+   }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, AddedTopLevelContainer) {
  b->Ensure(s.routing_options)->Ensure(s.static_)->Ensure(s.route, "0.0.0.0/0")->Ensure(
      s.next_hop, "192.0.2.1");
  EXPECT_EQ(Compare(*a, *b),
            "[edit]\n"
            "+  routing-options {\n"
            "+      static {\n"
            "+          route 0.0.0.0/0 next-hop 192.0.2.1;\n"
            "+      }\n"
            "+  }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, RemovedSubtree) {
  Node* ifs = b->Find(s.interfaces);
  ifs->Remove(ifs->Find(s.interface, "fxp0"));
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces]\n"
            "-   fxp0 {\n"
            "-       unit 0 {\n"
            "-           family inet {\n"
            "-               address 10.0.0.15/24;\n"
            "-           }\n"
            "-       }\n"
            "-   }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, LeafListElementAddedAndRemoved) {
  a->Find(s.system)->Ensure(s.domain_search, "a.example");
  b->Find(s.system)->Ensure(s.domain_search, "a.example");
  b->Find(s.system)->Ensure(s.domain_search, "b.example");
  EXPECT_EQ(Compare(*a, *b),
            "[edit system]\n"
            "-   domain-search a.example;\n"
            "+   domain-search [ a.example b.example ];\n");
  ExpectPatchRoundTrip();
  EXPECT_EQ(Compare(*b, *a),
            "[edit system]\n"
            "-   domain-search [ a.example b.example ];\n"
            "+   domain-search a.example;\n");
}

TEST_F(DiffTest, BlockListElement) {
  a->Find(s.system)->Ensure(s.name_server, "192.0.2.53");
  b->Find(s.system)->Ensure(s.name_server, "192.0.2.53");
  b->Find(s.system)->Ensure(s.name_server, "192.0.2.54");
  EXPECT_EQ(Compare(*a, *b),
            "[edit system name-server]\n"
            "     192.0.2.53;\n"
            "+    192.0.2.54;\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, InactiveToggle) {
  At(b.get(), s, "ge-0/0/0")->inactive = true;
  b->Find(s.system)->Find(s.host_name)->inactive = true;
  EXPECT_EQ(Compare(*a, *b),
            "[edit system]\n"
            "!   inactive: host-name r1;\n"
            "[edit interfaces]\n"
            "!   inactive: ge-0/0/0 { ... }\n");
  ExpectPatchRoundTrip();
  EXPECT_EQ(Compare(*b, *a),
            "[edit system]\n"
            "!   active: host-name r1;\n"
            "[edit interfaces]\n"
            "!   active: ge-0/0/0 { ... }\n");
}

TEST_F(DiffTest, ProtectToggle) {
  b->Find(s.system)->protect = true;
  EXPECT_EQ(Compare(*a, *b),
            "[edit]\n"
            "!  protect: system { ... }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, AnnotationChange) {
  a->Find(s.system)->Find(s.host_name)->annotation = "old note";
  b->Find(s.system)->Find(s.host_name)->annotation = "new note";
  EXPECT_EQ(Compare(*a, *b),
            "[edit system]\n"
            "-   /* old note */\n"
            "+   /* new note */\n"
            "    host-name r1;\n");
  ExpectPatchRoundTrip();
  b->Find(s.system)->Find(s.host_name)->annotation.clear();
  At(b.get(), s, "ge-0/0/0")->annotation = "line one\nline two";
  EXPECT_EQ(Compare(*a, *b),
            "[edit system]\n"
            "-   /* old note */\n"
            "    host-name r1;\n"
            "[edit interfaces]\n"
            "+   /* line one\n"
            "+   line two */\n"
            "    ge-0/0/0 { ... }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, NestedChangeInFlatListEntry) {
  At(b.get(), s, "ge-0/0/0")->Find(s.mtu)->set_value("9000");
  At(b.get(), s, "fxp0")
      ->Find(s.unit, "0")
      ->Find(s.family)
      ->Find(s.inet)
      ->Ensure(s.address, "10.0.1.15/24");
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces fxp0 unit 0 family inet]\n"
            "+    address 10.0.1.15/24;\n"
            "[edit interfaces ge-0/0/0]\n"
            "-    mtu 1500;\n"
            "+    mtu 9000;\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, CollapsedContainerChildren) {
  Node* fam = At(b.get(), s, "fxp0")->Find(s.unit, "0")->Find(s.family);
  fam->Ensure(s.inet6);
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces fxp0 unit 0]\n"
            "+    family inet6;\n");
  ExpectPatchRoundTrip();
  EXPECT_EQ(Compare(*b, *a),
            "[edit interfaces fxp0 unit 0]\n"
            "-    family inet6;\n");
  fam->Remove(fam->Find(s.inet));
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces fxp0 unit 0]\n"
            "-    family inet {\n"
            "-        address 10.0.0.15/24;\n"
            "-    }\n"
            "+    family inet6;\n");
  ExpectPatchRoundTrip();
}

// The report behind this test: a patch removing the last child of a sabina:collapse container
// must leave the container itself when the new tree keeps it (`family;`), and remove it when
// the new tree does not.
TEST_F(DiffTest, EmptiedCollapsedContainerStaysWhenTheNewTreeKeepsIt) {
  Node* fam = At(b.get(), s, "fxp0")->Find(s.unit, "0")->Find(s.family);
  fam->Remove(fam->Find(s.inet));
  EXPECT_EQ(PrintCurly(*At(b.get(), s, "fxp0")), "unit 0 {\n    family;\n}\n");
  EXPECT_EQ(Compare(*a, *b),
            "[edit interfaces fxp0 unit 0 family]\n"
            "-    inet {\n"
            "-        address 10.0.0.15/24;\n"
            "-    }\n");
  ExpectPatchRoundTrip();
  std::swap(a, b);
  ExpectPatchRoundTrip();
  // With a sibling member that goes away too, and one that stays.
  std::swap(a, b);
  At(a.get(), s, "fxp0")->Find(s.unit, "0")->Find(s.family)->Ensure(s.inet6);
  ExpectPatchRoundTrip();
  At(b.get(), s, "fxp0")->Find(s.unit, "0")->Find(s.family)->Ensure(s.inet6);
  ExpectPatchRoundTrip();
  std::swap(a, b);
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, OneLinerChangesAsWholeLines) {
  for (Node* r : {a.get(), b.get()}) {
    r->Ensure(s.routing_options)->Ensure(s.static_)->Ensure(s.route, "0.0.0.0/0")->Ensure(
        s.next_hop, "192.0.2.1");
  }
  b->Find(s.routing_options)->Find(s.static_)->Find(s.route, "0.0.0.0/0")->Ensure(
      s.next_hop, "192.0.2.2");
  EXPECT_EQ(Compare(*a, *b),
            "[edit routing-options static]\n"
            "-    route 0.0.0.0/0 next-hop 192.0.2.1;\n"
            "+    route 0.0.0.0/0 next-hop [ 192.0.2.1 192.0.2.2 ];\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, OrderedListInsertShowsPredecessor) {
  Node* f = b->Find(s.firewall)->Find(s.filter, "F");
  auto t = std::make_unique<Node>(s.term, "t1b");
  t->Ensure(s.then)->Ensure(s.accept);
  f->InsertBefore(std::move(t), f->Find(s.term, "t2"));
  EXPECT_EQ(Compare(*a, *b),
            "[edit firewall filter F]\n"
            "     term t1 { ... }\n"
            "+    term t1b {\n"
            "+        then {\n"
            "+            accept;\n"
            "+        }\n"
            "+    }\n");
  ExpectPatchRoundTrip();
}

TEST_F(DiffTest, OrderedListMove) {
  Node* f = b->Find(s.firewall)->Find(s.filter, "F");
  auto t3 = f->Remove(f->Find(s.term, "t3"));
  f->InsertBefore(std::move(t3), f->Find(s.term, "t1"));
  EXPECT_EQ(Compare(*a, *b),
            "[edit firewall filter F]\n"
            "!    term t3 { ... }\n");
  ExpectPatchRoundTrip();
  // Moving t1 to the end: it follows t3.
  auto c = a->Clone();
  Node* fc = c->Find(s.firewall)->Find(s.filter, "F");
  fc->Append(fc->Remove(fc->Find(s.term, "t1")));
  EXPECT_EQ(Compare(*a, *c),
            "[edit firewall filter F]\n"
            "     term t3 { ... }\n"
            "!    term t1 { ... }\n");
  auto work = a->Clone();
  ASSERT_TRUE(ApplyPatch(*work, Compare(*a, *c)).ok());
  EXPECT_TRUE(work->Equals(*c));
}

TEST_F(DiffTest, ApplyPatchErrorsNameTheLineAndChangeNothing) {
  auto before = a->Clone();
  Status st = ApplyPatch(*a,
                         "[edit system]\n"
                         "-   host-name r1;\n"
                         "+   host-name r2;\n"
                         "[edit interfaces ge-0/0/0]\n"
                         "-    mtu 9999;\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("patch line 5"), std::string::npos) << st.message();
  EXPECT_TRUE(a->Equals(*before));
  st = ApplyPatch(*a, "[edit interfaces ge-9/9/9]\n+    mtu 1;\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("patch line 1"), std::string::npos) << st.message();
  st = ApplyPatch(*a, "[edit system]\n+   host-name r9;\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("patch line 2"), std::string::npos) << st.message();
  st = ApplyPatch(*a, "[edit system]\n+   no-such-thing 1;\n");
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(a->Equals(*before));
}

// Random trees over the test schema, and random edits of them.
class TreeGen {
 public:
  TreeGen(const TestSchema& s, unsigned seed) : s_(s), rng_(seed) {}

  std::unique_ptr<Node> Make() {
    auto r = s_.NewRoot();
    if (Coin()) r->Ensure(s_.version, "v" + Num(3));
    Node* sys = r->Ensure(s_.system);
    sys->Ensure(s_.host_name, "h" + Num(3));
    for (int i = 0, n = Int(3); i < n; ++i) sys->Ensure(s_.domain_search, "d" + Num(5));
    for (int i = 0, n = Int(3); i < n; ++i) sys->Ensure(s_.name_server, "10.0.0." + Num(9));
    Node* ifs = r->Ensure(s_.interfaces);
    for (int i = 0, n = 1 + Int(4); i < n; ++i) {
      Node* ge = ifs->Ensure(s_.interface, "ge-0/0/" + Num(12));
      if (Coin()) ge->Ensure(s_.if_description, Coin() ? "two words" : "x" + Num(3));
      if (Coin()) ge->Ensure(s_.mtu, Num(2) + "500");
      for (int u = 0, m = Int(3); u < m; ++u) {
        Node* un = ge->Ensure(s_.unit, Num(4));
        if (Coin()) {
          un->Ensure(s_.family)->Ensure(s_.inet)->Ensure(s_.address, "10.1." + Num(4) + ".1/24");
        }
        if (Coin()) un->Ensure(s_.family)->Ensure(s_.inet6);
      }
    }
    Node* st = r->Ensure(s_.routing_options)->Ensure(s_.static_);
    for (int i = 0, n = Int(4); i < n; ++i) {
      Node* rt = st->Ensure(s_.route, "10." + Num(6) + ".0.0/16");
      for (int k = 0, m = 1 + Int(2); k < m; ++k) rt->Ensure(s_.next_hop, "192.0.2." + Num(4));
      if (Coin()) rt->Ensure(s_.preference, Num(9));
    }
    Node* f = r->Ensure(s_.firewall)->Ensure(s_.filter, "F");
    for (int i = 0, n = Int(5); i < n; ++i) f->Ensure(s_.term, "t" + Num(8))->Ensure(s_.then);
    Decorate(r.get());
    return r;
  }

  // Random metadata and edits: toggles inactive/protect/annotations, removes some statements.
  void Mutate(Node* n) {
    std::vector<Node*> all;
    Collect(n, &all);
    for (Node* x : all) {
      if (!x->parent() || !Taggable(x)) continue;
      int r = Int(40);
      if (r == 0) x->inactive = !x->inactive;
      if (r == 1) x->protect = !x->protect;
      if (r == 2) x->annotation = x->annotation.empty() ? "note " + Num(5) : "";
    }
    // Remove a few leaves and entries (children before parents: collected in pre-order).
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      Node* x = *it;
      if (x->parent() && x->parent()->parent() && Int(15) == 0) x->parent()->Remove(x);
    }
    // Reorder terms.
    Node* f = n->Find(s_.firewall)->Find(s_.filter, "F");
    if (f && !f->empty() && Coin()) {
      const Node* first = f->children().front().get();
      f->Append(f->Remove(first));
    }
  }

 private:
  // The parser (parser.cc) gives the tags of "inactive: route R next-hop [ a b ];" to the
  // next-hop elements as well as to the route, so tags on one-liner entries do not survive a
  // print/parse round trip yet; reported, and left out of the random trees until fixed.
  // Likewise "inactive: family inet6;" (a child of the sabina:collapse container `family`):
  // the parser tags `family` rather than `inet6`.
  bool Taggable(const Node* n) const {
    return n->schema() != s_.route && !(n->parent() && n->parent()->schema() == s_.family);
  }

  void Decorate(Node* n) {
    for (const auto& c : n->children()) {
      if (Int(25) == 0 && Taggable(c.get())) c->inactive = true;
      if (Int(30) == 0 && Taggable(c.get())) c->annotation = Coin() ? "a note" : "multi\nline";
      Decorate(c.get());
    }
  }
  void Collect(Node* n, std::vector<Node*>* out) {
    out->push_back(n);
    for (const auto& c : n->children()) Collect(c.get(), out);
  }
  bool Coin() { return rng_() % 2; }
  int Int(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  std::string Num(int n) { return std::to_string(Int(n)); }

  const TestSchema& s_;
  std::mt19937 rng_;
};

TEST(DiffProperty, ApplyPatchOfCompareGivesTheNewTree) {
  TestSchema s;
  int checked = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    TreeGen g(s, seed);
    auto a = g.Make();
    auto b = seed % 3 == 0 ? g.Make() : a->Clone();
    if (seed % 3 != 0) g.Mutate(b.get());
    // Both directions.
    for (int dir = 0; dir < 2; ++dir) {
      const Node& from = dir ? *b : *a;
      const Node& to = dir ? *a : *b;
      std::string patch = Compare(from, to);
      EXPECT_EQ(patch.empty(), from.Equals(to)) << "seed " << seed;
      auto work = from.Clone();
      Status st = ApplyPatch(*work, patch);
      ASSERT_TRUE(st.ok()) << "seed " << seed << ": " << st.message() << "\n" << patch;
      ASSERT_TRUE(work->Equals(to)) << "seed " << seed << "\n"
                                    << patch << "--- got\n"
                                    << PrintCurly(*work) << "--- want\n"
                                    << PrintCurly(to);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 600);
}

// `routes` static routes, and a copy with one changed and one added.
std::pair<std::unique_ptr<Node>, std::unique_ptr<Node>> RoutesAndTwoChanges(const TestSchema& s,
                                                                            int routes) {
  auto a = s.NewRoot();
  Node* st = a->Ensure(s.routing_options)->Ensure(s.static_);
  for (int i = 0; i < routes; ++i) {
    st->Ensure(s.route, std::to_string(i / 65536 + 11) + "." + std::to_string((i / 256) % 256) +
                            "." + std::to_string(i % 256) + ".0/24")
        ->Ensure(s.next_hop, "192.0.2.1");
  }
  auto b = a->Clone();
  Node* bst = b->Find(s.routing_options)->Find(s.static_);
  bst->Find(s.route, "11.0.5.0/24")->Find(s.next_hop, "192.0.2.1")->set_value("192.0.2.9");
  bst->Ensure(s.route, "12.200.0.0/24")->Ensure(s.next_hop, "192.0.2.7");
  return {std::move(a), std::move(b)};
}

TEST(DiffSpeed, HundredThousandLinesFewChanges) {
  TestSchema s;
  auto [a, b] = RoutesAndTwoChanges(s, 100000);
  std::string d;
  double ms = testing::FastestMs(2, [&] { d = Compare(*a, *b); });
  EXPECT_EQ(d,
            "[edit routing-options static]\n"
            "-    route 11.0.5.0/24 next-hop 192.0.2.1;\n"
            "+    route 11.0.5.0/24 next-hop 192.0.2.9;\n"
            "+    route 12.200.0.0/24 next-hop 192.0.2.7;\n");
  // Comparing must cost about as much as checking the tree for equality with itself, which
  // visits each node once; a quadratic walk would be thousands of times slower.
  double equals_ms = testing::FastestMs(3, [&] { EXPECT_TRUE(a->Equals(*a)); });
  std::printf("Compare on 100k routes with 2 changes: %.1f ms; Equals: %.1f ms\n", ms, equals_ms);
  EXPECT_LT(ms, 50 * equals_ms);
}

}  // namespace
}  // namespace sabina::config
