#include "cli/common.h"

#include <cstdio>
#include <iostream>

namespace newsarc::cli {

int Fail(const Status& status, const std::string& what) {
  std::cerr << "newsarc: " << (what.empty() ? "" : what + ": ") << status.message() << "\n";
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalidInput:
      return kExitUsage;
    case Status::Code::kNotFound:
      return kExitNotFound;
    case Status::Code::kBusy:
      return kExitBusy;
    default:
      return kExitArchive;
  }
}

Result<std::unique_ptr<Archive>> OpenArchive(const GlobalOptions& global) {
  if (global.archive.empty()) {
    return Status::InvalidInput("no archive given: use --archive DIR or set NEWSARC_ARCHIVE");
  }
  auto archive = Archive::Open(global.archive);
  // A missing archive is an archive error (exit 4), not a missing story.
  if (!archive.ok() && archive.status().code() == Status::Code::kNotFound) {
    return Status::IOError(archive.status().message());
  }
  return archive;
}

std::string FormatSimilarity(double s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", s);
  return buf;
}

}  // namespace newsarc::cli
