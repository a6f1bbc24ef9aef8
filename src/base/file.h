// Whole-file reads and crash-safe whole-file writes.
//
// WriteFileAtomic: the data goes to a temporary file in the same directory, is fsynced, renamed
// over the target and the directory is fsynced. A process killed at any instant therefore
// leaves either the old file or the new one under `path` (plus, at worst, a stale temporary
// named by TempPathPrefix(path) that the next writer may delete).
//
// Thread: any; functions are independent. Two writers of the same path must be serialised by
// the caller (the temporary file name is per process, not per call).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sabina {

// Writes the concatenation of `parts` (several pieces so that a header and a large body need
// not be copied into one buffer).
Status WriteFileAtomic(const std::string& path, const std::vector<std::string_view>& parts,
                       int mode = 0644);
inline Status WriteFileAtomic(const std::string& path, std::string_view data) {
  return WriteFileAtomic(path, std::vector<std::string_view>{data});
}

// "<dir>/.<name>.tmp-" — every temporary of `path` starts with this.
std::string TempPathPrefix(const std::string& path);
// Removes stale temporaries of `path` left by a killed writer. Missing directory is not an error.
Status RemoveStaleTemps(const std::string& path);

StatusOr<std::string> ReadFile(const std::string& path);

bool FileExists(const std::string& path);
// Creates `dir` and its parents (like mkdir -p).
Status MakeDirs(const std::string& dir);
// Fsyncs a directory so that renames and unlinks in it are durable.
Status SyncDir(const std::string& dir);
// Unlinks; a missing file is not an error.
Status RemoveFile(const std::string& path);
// Names (not paths) of the entries of `dir`, excluding "." and "..".
StatusOr<std::vector<std::string>> ListDir(const std::string& dir);
// Directory part of `path` ("." when there is none).
std::string DirName(const std::string& path);
// Last component of `path`.
std::string BaseName(const std::string& path);

}  // namespace sabina
