#include "mgmt/cli/commands.h"

namespace sabina::mgmt::cli {

// Each table is sorted, as `?` lists them.

const std::vector<Word>& OperationalWords() {
  static const std::vector<Word> kWords = {
      {"clear", "Clear information in the system"},
      {"configure", "Manipulate software configuration information"},
      {"exit", "Exit the management session"},
      {"ping", "Ping remote target"},
      {"quit", "Exit the management session"},
      {"request", "Make system-level requests"},
      {"set", "Set CLI properties, date/time, craft interface message"},
      {"show", "Show system information"},
      {"traceroute", "Trace route to remote host"},
  };
  return kWords;
}

const std::vector<Word>& ShowWords() {
  static const std::vector<Word> kWords = {
      {"arp", "Show system Address Resolution Protocol table entries"},
      {"configuration", "Show current configuration"},
      {"dataplane", "Show forwarding engine (data plane) information"},
      {"interfaces", "Show interface information"},
      {"ipv6", "Show IP version 6 information"},
      {"route", "Show routing table information"},
      {"system", "Show system information"},
      {"version", "Show software process revision levels"},
  };
  return kWords;
}

const std::vector<Word>& ShowSystemWords() {
  static const std::vector<Word> kWords = {
      {"commit", "Show pending commit and commit history"},
      {"rollback", "Show rolled back configuration"},
      {"statistics", "Show statistics for protocol"},
      {"uptime", "Show time since system and processes started"},
  };
  return kWords;
}

const std::vector<Word>& ConfigureWords() {
  static const std::vector<Word> kWords = {
      {"exclusive", "Obtain exclusive lock (other users cannot commit changes)"},
      {"private", "Work in private database (other users can see only committed changes)"},
  };
  return kWords;
}

const std::vector<Word>& SetCliWords() {
  static const std::vector<Word> kWords = {
      {"complete-on-space", "Set whether typing space completes current word"},
      {"screen-length", "Set number of lines on screen"},
      {"screen-width", "Set number of characters on a line"},
  };
  return kWords;
}

const std::vector<Word>& ConfigWords() {
  static const std::vector<Word> kWords = {
      {"activate", "Remove the inactive tag from a statement"},
      {"annotate", "Annotate the statement with a comment"},
      {"commit", "Commit current set of changes"},
      {"copy", "Copy a statement"},
      {"deactivate", "Add the inactive tag to a statement"},
      {"delete", "Delete a data element"},
      {"edit", "Edit a sub-element"},
      {"exit", "Exit from this level"},
      {"insert", "Insert a new ordered data element"},
      {"load", "Load configuration from ASCII file"},
      {"protect", "Protect the statement"},
      {"quit", "Quit from this level"},
      {"rename", "Rename a statement"},
      {"rollback", "Roll back to previous committed configuration"},
      {"run", "Run an operational-mode command"},
      {"set", "Set a parameter"},
      {"show", "Show a parameter"},
      {"status", "Show users currently editing configuration"},
      {"top", "Exit to top level of configuration"},
      {"unprotect", "Unprotect the statement"},
      {"up", "Exit one level of configuration"},
      {"update", "Update private database"},
  };
  return kWords;
}

const std::vector<Word>& CommitWords() {
  static const std::vector<Word> kWords = {
      {"and-quit", "Quit configuration mode if commit succeeds"},
      {"check", "Check correctness of syntax; do not apply changes"},
      {"comment", "Message to accompany configuration commit"},
      {"confirmed", "Automatically rollback if not confirmed"},
  };
  return kWords;
}

const std::vector<Word>& LoadWords() {
  static const std::vector<Word> kWords = {
      {"merge", "Merge contents with existing configuration"},
      {"override", "Override existing configuration"},
      {"patch", "Load patch file into configuration"},
      {"replace", "Replace configuration data"},
      {"set", "Execute set of commands on existing configuration"},
      {"update", "Update existing configuration"},
  };
  return kWords;
}

}  // namespace sabina::mgmt::cli
