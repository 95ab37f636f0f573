// Status and Result: errors as values on the library boundary.
//
// Every fallible library call returns a Status (no value) or a Result<T>
// (a value or a Status). Nothing in the library throws across its API,
// prints, or exits; the CLI turns a Status into a message and an exit code.
// "Nothing found" is an empty result, never an error.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace newsarc {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidInput,   // the article or request is malformed (bad UTF-8, bad JSON...)
    kNotFound,       // a named thing (archive, story, file) does not exist
    kAlreadyExists,  // init on an existing archive
    kCorruption,     // stored bytes fail a checksum or cannot be decoded
    kIncompatible,   // not a newsarc archive, or a newer format version
    kBusy,           // another writer holds the archive
    kIOError,        // the operating system or LMDB refused (disk full...)
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) { return {Code::kInvalidInput, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status Incompatible(std::string msg) { return {Code::kIncompatible, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corruption: <message>" style text for users.
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value of type T, or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace newsarc

#define NEWSARC_RETURN_IF_ERROR(expr) \
  do {                                \
    ::newsarc::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)
