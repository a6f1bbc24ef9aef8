// The CLI's command words with their `?` help texts (Junos wording), shared by command
// dispatch (session.cc) and completion.
//
// Thread: immutable tables, any thread.
#pragma once

#include <vector>

#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

const std::vector<Word>& OperationalWords();
const std::vector<Word>& ShowWords();
const std::vector<Word>& ShowSystemWords();
const std::vector<Word>& ConfigureWords();
const std::vector<Word>& SetCliWords();
const std::vector<Word>& ConfigWords();
const std::vector<Word>& CommitWords();
const std::vector<Word>& LoadWords();

}  // namespace sabina::mgmt::cli
