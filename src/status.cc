#include "newsarc/status.h"

namespace newsarc {

std::string Status::ToString() const {
  const char* name = "ok";
  switch (code_) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidInput:
      name = "invalid input";
      break;
    case Code::kNotFound:
      name = "not found";
      break;
    case Code::kAlreadyExists:
      name = "already exists";
      break;
    case Code::kCorruption:
      name = "corruption";
      break;
    case Code::kIncompatible:
      name = "incompatible archive";
      break;
    case Code::kBusy:
      name = "busy";
      break;
    case Code::kIOError:
      name = "I/O error";
      break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace newsarc
