// Test helper: the captured Junos outputs in ../shared/corpus/junos-show/, with the capture's
// common indentation removed, to compare layouts line by line.
//
// Thread: tests only.
#pragma once

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sabina::mgmt::cli {

// Lines of the first corpus file whose name contains `name_part`; empty if there is none.
inline std::vector<std::string> CorpusLines(const std::string& name_part) {
  std::string dir = std::string(SABINA_SOURCE_DIR) + "/../shared/corpus/junos-show/";
  std::vector<std::string> lines;
  DIR* d = opendir(dir.c_str());
  if (!d) return lines;
  std::string file;
  while (dirent* e = readdir(d)) {
    if (std::string(e->d_name).find(name_part) != std::string::npos) {
      file = dir + e->d_name;
      break;
    }
  }
  closedir(d);
  if (file.empty()) return lines;
  std::ifstream in(file);
  std::string line;
  size_t indent = std::string::npos;
  while (std::getline(in, line)) {
    size_t lead = line.find_first_not_of(' ');
    if (lead != std::string::npos) indent = std::min(indent, lead);
    lines.push_back(line);
  }
  for (std::string& l : lines) {
    l = l.size() >= indent && indent != std::string::npos ? l.substr(indent) : "";
    while (!l.empty() && l.back() == ' ') l.pop_back();
  }
  return lines;
}

inline bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace sabina::mgmt::cli
