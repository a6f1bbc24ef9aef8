#include "mgmt/cli/show_commands.h"

#include "mgmt/cli/show_common.h"

// The command tree below is written as nested aggregates that leave trailing members at
// their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace sabina::mgmt::cli {

namespace {

CommandOption Flag(std::string_view word, std::string_view help) {
  return {word, help, "", "", false, {}};
}
CommandOption Number(std::string_view word, std::string_view help, std::string_view arg,
                     std::string_view arg_help) {
  return {word, help, arg, arg_help, true, {}};
}
CommandOption Text(std::string_view word, std::string_view help, std::string_view arg,
                   std::string_view arg_help, std::vector<Word> choices = {}) {
  return {word, help, arg, arg_help, false, std::move(choices)};
}

const std::vector<CommandNode>& Tree() {
  static const std::vector<CommandNode> kTree = [] {
    std::vector<CommandNode> t;
    // show interfaces
    CommandNode interfaces{
        "interfaces",
        "Show interface information",
        "show interfaces",
        {},
        {Flag("brief", "Display brief output"), Flag("detail", "Display detailed output"),
         Flag("extensive", "Display extensive output"), Flag("terse", "Display terse output")},
        "<interface-name>",
        "Name of physical or logical interface"};
    t.push_back(interfaces);
    // show route
    CommandNode route{
        "route",
        "Show routing table information",
        "show route",
        {{"forwarding-table",
          "Show forwarding table information",
          "show route forwarding-table",
          {},
          {Text("destination", "Destination address or prefix", "<destination>",
                "IP address and optional prefix length of destination"),
           Text("family", "Protocol family", "<family>", "Protocol family",
                {{"inet", "IPv4 family"}, {"inet6", "IPv6 family"}})}},
         {"summary", "Show route summary information", "show route summary"}},
        {Flag("brief", "Display brief output"), Flag("detail", "Display detailed output"),
         Flag("exact", "Show exact route match"), Flag("extensive", "Display extensive output"),
         Flag("longer", "Show more-specific routes"),
         Text("protocol", "Name of protocol", "<protocol>", "Name of protocol",
              {{"direct", "Directly connected routes"},
               {"local", "Local routes"},
               {"static", "Static routes"}}),
         Text(
             "table", "Name of routing table", "<table>", "Name of routing table",
             {{"inet.0", "IPv4 unicast routing table"}, {"inet6.0", "IPv6 unicast routing table"}}),
         Flag("terse", "Display terse output")},
        "<destination>",
        "IP address and optional prefix length of destination",
        false,
        true};
    t.push_back(route);
    // show arp
    t.push_back(
        {"arp",
         "Show system Address Resolution Protocol table entries",
         "show arp",
         {},
         {Text("hostname", "Show entries for this host", "<hostname>", "IP address of the host"),
          Text("interface", "Show entries for this interface", "<interface>",
               "Name of logical interface"),
          Flag("no-resolve", "Don't attempt to print names")}});
    // show ipv6 neighbors
    t.push_back({"ipv6",
                 "Show IP version 6 information",
                 "",
                 {{"neighbors", "Show IPv6 neighbor cache information", "show ipv6 neighbors"}}});
    // show dataplane
    t.push_back({"dataplane",
                 "Show forwarding engine (data plane) information",
                 "show dataplane",
                 {{"drops",
                   "Show packet drop counters by reason",
                   "show dataplane drops",
                   {},
                   {Flag("all", "Include the reasons that counted nothing")}},
                  {"nodes", "Show per-node call and packet counters", "show dataplane nodes"},
                  {"trace", "Show the packets traced", "show dataplane trace"}}});
    // show system statistics
    t.push_back({"statistics", "Show statistics for protocol", "show system statistics"});
    // clear
    t.push_back(
        {"clear",
         "Clear information in the system",
         "",
         {{"arp",
           "Clear address resolution information",
           "clear arp",
           {},
           {Text("hostname", "Clear entries for this host", "<hostname>", "IP address of the host"),
            Text("interface", "Clear entries for this interface", "<interface>",
                 "Name of logical interface")}},
          {"dataplane",
           "Clear forwarding engine (data plane) information",
           "",
           {{"statistics", "Clear data plane counters", "clear dataplane statistics"}}},
          {"interfaces",
           "Clear interface information",
           "",
           {{"statistics",
             "Clear interface statistics",
             "clear interfaces statistics",
             {},
             {},
             "<interface-name>",
             "Name of interface, or all",
             true}}},
          {"ipv6",
           "Clear IP version 6 information",
           "",
           {{"neighbors", "Clear IPv6 neighbor cache information", "clear ipv6 neighbors"}}}}});
    // request dataplane trace start|stop
    t.push_back(
        {"request",
         "Make system-level requests",
         "",
         {{"dataplane",
           "Make forwarding engine (data plane) requests",
           "",
           {{"trace",
             "Trace packets through the data plane",
             "",
             {{"start",
               "Trace the next packets received",
               "request dataplane trace start",
               {},
               {Number("count", "Number of packets to trace (default 10)", "<count>",
                       "Number of packets")}},
              {"stop", "Stop tracing and clear the trace", "request dataplane trace stop"}}}}}}});
    // ping
    t.push_back(
        {"ping",
         "Ping remote target",
         "ping",
         {},
         {Number("count", "Number of ping requests to send", "<count>",
                 "Number of ping requests to send (1..10000, default 5)"),
          Flag("do-not-fragment", "Don't fragment echo request packets (IPv4)"),
          Flag("inet", "Force ping to IPv4 destination"),
          Flag("inet6", "Force ping to IPv6 destination"),
          Text("interface", "Source interface (multicast, all-ones, unrouted packets)",
               "<interface>", "Name of logical interface"),
          Flag("rapid", "Send requests rapidly (default count of 5)"),
          Number("size", "Size of request packets (0..65468 bytes)", "<size>",
                 "Size of request packets"),
          Text("source", "Source address of echo request", "<source>", "IP address of the source"),
          Number("ttl", "IP time-to-live value (IPv6 hop-limit value) (hops)", "<ttl>",
                 "Time to live (1..255)"),
          Number("wait", "Maximum wait time after sending final packet (seconds)", "<wait>",
                 "Seconds (1..60)")},
         "<host>",
         "Hostname or IP address of remote host",
         true});
    // traceroute
    t.push_back(
        {"traceroute",
         "Trace route to remote host",
         "traceroute",
         {},
         {Flag("inet", "Force traceroute to IPv4 destination"),
          Flag("inet6", "Force traceroute to IPv6 destination"),
          Flag("no-resolve", "Don't attempt to print addresses symbolically"),
          Text("source", "Source address to use in outgoing traceroute packets", "<source>",
               "IP address of the source"),
          Number("ttl", "Maximum time-to-live value (hops)", "<ttl>", "Maximum hops (1..255)"),
          Number("wait", "Maximum wait time for a response (seconds)", "<wait>",
                 "Seconds (1..60)")},
         "<host>",
         "Hostname or IP address of remote host",
         true});
    return t;
  }();
  return kTree;
}

std::vector<Word> ChildWords(const CommandNode& n) {
  std::vector<Word> out;
  for (const CommandNode& c : n.children) out.push_back({c.word, c.help});
  return out;
}

std::vector<Word> OptionWords(const CommandNode& n) {
  std::vector<Word> out;
  for (const CommandOption& o : n.options) out.push_back({o.word, o.help});
  return out;
}

bool IsNumber(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string AmbiguousText(const std::string& typed, const std::vector<Word>& words) {
  std::string text = "'" + typed + "' is ambiguous.\nPossible completions:\n";
  for (const Word& w : words) {
    if (w.word.substr(0, typed.size()) != typed) continue;
    std::string line = "  " + std::string(w.word);
    if (line.size() < 23) {
      line.resize(23, ' ');
    } else {
      line += ' ';
    }
    text += line + std::string(w.help) + "\n";
  }
  return text;
}

// Whether `word` goes to the positional argument of `n` before keywords are tried: route
// destinations (addresses) may look like keyword prefixes ("fe80::/10" vs forwarding-table).
bool PositionalFirst(const CommandNode& n, const std::string& word) {
  return n.positional_first && PrefixText::Parse(word).has_value();
}

// Descends through sub-command words; returns the node the options belong to and the index
// of the first word after it, or null with `error` set.
const CommandNode* Descend(const CommandNode& node, const std::vector<std::string>& words,
                           size_t* i, std::string* error, bool* ambiguous) {
  const CommandNode* n = &node;
  while (!n->children.empty() && *i < words.size()) {
    if (PositionalFirst(*n, words[*i])) break;
    int k = MatchWord(words[*i], ChildWords(*n));
    if (k == -2) {
      *error = AmbiguousText(words[*i], ChildWords(*n));
      *ambiguous = true;
      return nullptr;
    }
    if (k < 0) {
      if (!n->id.empty()) break;  // an option or the positional of n itself
      *error = "syntax error, expecting <command>: " + words[*i];
      return nullptr;
    }
    n = &n->children[static_cast<size_t>(k)];
    ++*i;
  }
  return n;
}

}  // namespace

const CommandNode* ForwardingNode(std::string_view top, std::string_view second) {
  std::string_view want = top == "show" || (top == "system" && !second.empty()) ? second : top;
  if (top == "show" && second.empty()) return nullptr;
  for (const CommandNode& n : Tree()) {
    if (n.word != want) continue;
    // Top-level words and `show` words share the tree; keep them apart.
    bool is_top =
        n.word == "clear" || n.word == "request" || n.word == "ping" || n.word == "traceroute";
    if (top == "show" ? !is_top : (top == "system" ? n.word == "statistics" : is_top)) return &n;
  }
  return nullptr;
}

bool ParseForwarding(const CommandNode& node, const std::vector<Token>& w, size_t first,
                     size_t end_pos, ParsedCommand* out, ParseError* error) {
  std::vector<std::string> words;
  for (const Token& t : w) words.push_back(t.text);
  size_t i = first;
  std::string message;
  bool ambiguous = false;
  const CommandNode* n = Descend(node, words, &i, &message, &ambiguous);
  if (!n) {
    error->pos = w[i].pos;
    error->message = message;
    return false;
  }
  if (n->id.empty()) {
    error->message = "syntax error, expecting <command>.";
    error->pos = end_pos;
    return false;
  }
  out->id = std::string(n->id);
  std::vector<Word> option_words = OptionWords(*n);
  for (; i < words.size(); ++i) {
    const std::string& word = words[i];
    int k = PositionalFirst(*n, word) ? -1 : MatchWord(word, option_words);
    if (k == -2) {
      error->pos = w[i].pos;
      error->message = AmbiguousText(word, option_words);
      return false;
    }
    if (k >= 0) {
      const CommandOption& o = n->options[static_cast<size_t>(k)];
      std::string value;
      if (!o.arg.empty()) {
        if (i + 1 >= words.size()) {
          error->pos = end_pos;
          error->message = "syntax error, expecting " + std::string(o.arg) + ".";
          return false;
        }
        value = words[++i];
        if (o.number && !IsNumber(value)) {
          error->pos = w[i].pos;
          error->message = "syntax error, expecting <number>: " + value;
          return false;
        }
        if (!o.choices.empty()) {
          int c = MatchWord(value, o.choices);
          if (c < 0) {
            error->pos = w[i].pos;
            error->message = c == -2
                                 ? AmbiguousText(value, o.choices)
                                 : "syntax error, expecting " + std::string(o.arg) + ": " + value;
            return false;
          }
          value = std::string(o.choices[static_cast<size_t>(c)].word);
        }
      }
      out->options[std::string(o.word)] = value;
      continue;
    }
    if (!n->positional.empty() && out->positional.empty()) {
      out->positional = word;
      out->positional_pos = w[i].pos;
      continue;
    }
    error->pos = w[i].pos;
    error->message = "syntax error: " + word;
    return false;
  }
  if (n->positional_required && out->positional.empty()) {
    error->pos = end_pos;
    error->message = "syntax error, expecting " + std::string(n->positional) + ".";
    return false;
  }
  return true;
}

void CompleteForwarding(const CommandNode& node, const std::vector<std::string>& words,
                        const std::string& partial, CompletionResult* out) {
  size_t i = 0;
  std::string message;
  bool ambiguous = false;
  const CommandNode* n = Descend(node, words, &i, &message, &ambiguous);
  if (!n) {
    out->error = ambiguous ? "'" + words[i] + "' is ambiguous." : "syntax error.";
    return;
  }
  auto add = [&](std::string_view word, std::string_view help) {
    if (word.substr(0, partial.size()) == partial) {
      out->candidates.push_back({std::string(word), std::string(help), false});
    }
  };
  bool at_node = i == words.size();
  // Options seen so far; a value-taking option as the last word wants its value.
  std::vector<Word> option_words = OptionWords(*n);
  std::map<std::string, bool> used;
  bool have_positional = false;
  for (size_t k = i; k < words.size(); ++k) {
    int o = PositionalFirst(*n, words[k]) ? -1 : MatchWord(words[k], option_words);
    if (o >= 0) {
      const CommandOption& opt = n->options[static_cast<size_t>(o)];
      used[std::string(opt.word)] = true;
      if (!opt.arg.empty()) {
        if (k + 1 == words.size()) {
          for (const Word& c : opt.choices) add(c.word, c.help);
          if (opt.choices.empty()) {
            out->candidates.push_back({std::string(opt.arg), std::string(opt.arg_help), true});
          }
          return;
        }
        ++k;
      }
      continue;
    }
    have_positional = true;
  }
  if (!n->id.empty() && partial.empty()) {
    out->candidates.push_back({"<[Enter]>", "Execute this command", true});
  }
  if (!n->positional.empty() && !have_positional) {
    out->candidates.push_back({std::string(n->positional), std::string(n->positional_help), true});
  }
  if (at_node) {
    for (const CommandNode& c : n->children) add(c.word, c.help);
  }
  for (const CommandOption& o : n->options) {
    if (!used.count(std::string(o.word))) add(o.word, o.help);
  }
  if (!n->id.empty() && partial.empty()) {
    out->candidates.push_back({"|", "Pipe through a command", true});
  }
}

}  // namespace sabina::mgmt::cli
